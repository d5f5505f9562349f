// Fixture for ORM behaviour tests: the mapped tables created on the backend.
#pragma once

#include "backends.hpp"
#include "models.hpp"

#include <tabella/tabella.hpp>

#include <map>

namespace tabella::testing {

template <class Backend>
class orm_test : public backend_test<Backend> {
  protected:
    void SetUp() override {
        backend_test<Backend>::SetUp();
        if (this->url_.empty()) return; // skipped, or failed for a missing server
        engine_.emplace(this->make_engine(true));
        tabella::drop_all<models::enrollment, models::student, models::sample, models::course>(
            *engine_);
        tabella::create_all<models::enrollment, models::student, models::sample, models::course>(
            *engine_);
        this->echo_lines_.clear();
    }
    void TearDown() override {
        if (engine_)
            tabella::drop_all<models::enrollment, models::student, models::sample, models::course>(
                *engine_);
    }

    tabella::engine& eng() { return *engine_; }

    /// id -> (name, lastname, age) of every students row, read with the Core layer.
    std::map<std::int64_t, std::tuple<std::string, std::string, std::optional<int>>> rows() {
        std::map<std::int64_t, std::tuple<std::string, std::string, std::optional<int>>> out;
        auto res = eng().connect().execute_sql("SELECT id, name, lastname, age FROM students");
        for (const auto& r : res)
            out[r.template get<std::int64_t>(0)] = {r.template get<std::string>(1),
                                                    r.template get<std::string>(2),
                                                    r.template get<std::optional<int>>(3)};
        return out;
    }

    /// Echo lines that start with `prefix`.
    std::size_t echoed(std::string_view prefix) const {
        std::size_t n = 0;
        for (const auto& l : this->echo_lines_) n += l.starts_with(prefix) ? 1 : 0;
        return n;
    }

    static std::vector<models::student> make_students(std::size_t n, std::size_t first = 0) {
        std::vector<models::student> out;
        out.reserve(n);
        for (std::size_t i = first; i < first + n; ++i)
            out.push_back(
                {std::nullopt, "name" + std::to_string(i), "last" + std::to_string(i),
                 i % 7 == 0 ? std::nullopt : std::optional<int>(static_cast<int>(i % 90))});
        return out;
    }

    std::optional<tabella::engine> engine_;
};

} // namespace tabella::testing
