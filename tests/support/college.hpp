// The students table used across the Core behaviour tests.
#pragma once

#include "backends.hpp"

#include <tabella/tabella.hpp>

namespace tabella::testing {

/// metadata with `students(id, name NOT NULL, lastname, age, score)`.
inline tabella::metadata college_schema() {
    using enum tabella::column_type;
    tabella::metadata meta;
    meta.add_table("students", {
                                   tabella::column("id", integer).primary_key(),
                                   tabella::column("name", string).not_null(),
                                   tabella::column("lastname", string),
                                   tabella::column("age", integer),
                                   tabella::column("score", real),
                               });
    return meta;
}

/// A fixture with the college schema created on the backend.
template <class Backend>
class college_test : public backend_test<Backend> {
  protected:
    void SetUp() override {
        backend_test<Backend>::SetUp();
        if (this->url_.empty()) return;           // skipped, or failed for a missing server
        engine_.emplace(this->make_engine(true)); // echo captured in echo_lines_
        meta_.drop_all(*engine_);
        meta_.create_all(*engine_);
        this->echo_lines_.clear();
    }
    void TearDown() override {
        if (engine_) meta_.drop_all(*engine_);
    }

    const tabella::table& students() const { return meta_.get_table("students"); }
    tabella::engine& eng() { return *engine_; }
    /// Count of rows in students, read on a fresh connection.
    std::int64_t count_students() {
        return eng()
            .connect()
            .execute_sql("SELECT count(*) FROM students")
            .template scalar<std::int64_t>();
    }

    tabella::metadata meta_ = college_schema();
    std::optional<tabella::engine> engine_;
};

} // namespace tabella::testing
