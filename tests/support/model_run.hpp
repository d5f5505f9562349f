// The randomized session test's run: one seed's generator, executor and checks. Its
// definitions are split by concern: model_runner.cpp (setup, the step loop, the checks),
// model_ops.cpp (the operations), model_faults.cpp (the injected faults).
#pragma once

#include "model_clients.hpp"
#include "model_runner.hpp"
#include "model_session.hpp"
#include "names.hpp"

#include <tabella/tabella.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace tabella::testing::model {

using models::student;
using testing::name_of; // insert_strategy and object_state, next to the overloads below

enum class outcome { ok, unique, connection, disk_full, usage, other };

inline const char* name_of(outcome o) {
    switch (o) {
    case outcome::ok:
        return "success";
    case outcome::unique:
        return "unique_violation";
    case outcome::connection:
        return "connection_error";
    case outcome::disk_full:
        return "sql_error 53100 (disk full)";
    case outcome::usage:
        return "usage_error";
    case outcome::other:
        return "another error";
    }
    return "?";
}

inline const char* name_of(backend_kind b) {
    switch (b) {
    case backend_kind::sqlite_file:
        return "sqlite_file";
    case backend_kind::sqlite_memory:
        return "sqlite_memory";
    case backend_kind::postgres:
        return "postgres";
    case backend_kind::mariadb:
        return "mariadb";
    }
    return "?";
}

class run {
  public:
    explicit run(const run_config& cfg) : cfg_(cfg), rng_(cfg.seed) {}
    run_result go();

    struct op_kind {
        const char* name;
        int weight;
        bool (run::*fn)();
    };
    static const std::vector<op_kind>& ops() {
        static const std::vector<op_kind> all = {
            {"add", 12, &run::op_add},
            {"add_preset", 8, &run::op_add_preset},
            {"add_all", 5, &run::op_add_all},
            {"change", 12, &run::op_change},
            {"change_key", 5, &run::op_change_key},
            {"fix", 0, &run::op_fix}, // weighted by need in pick_op()
            {"remove", 8, &run::op_remove},
            {"remove_stranger", 1, &run::op_remove_stranger},
            {"expunge", 4, &run::op_expunge},
            {"flush", 8, &run::op_flush},
            {"commit", 6, &run::op_commit},
            {"rollback", 3, &run::op_rollback},
            {"begin_nested", 3, &run::op_begin_nested},
            {"nested_commit", 3, &run::op_nested_commit},
            {"nested_rollback", 3, &run::op_nested_rollback},
            {"query", 4, &run::op_query},
            {"count", 3, &run::op_count},
            {"get", 5, &run::op_get},
            {"fault", 3, &run::op_fault},
        };
        return all;
    }

  private:
    void open();
    void close() noexcept;
    void step(const std::function<void()>& body);
    void pick_op();
    void check();
    /// Where the session's objects differ from `m`.
    std::vector<std::string> object_problems(const session_model& m) const;

    // Randomness.
    std::size_t below(std::size_t n) {
        return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_);
    }
    bool chance(int percent) { return static_cast<int>(below(100)) < percent; }
    template <class T>
    std::optional<T> pick(const std::vector<T>& v) {
        if (v.empty()) return std::nullopt;
        return v[below(v.size())];
    }
    std::optional<std::size_t> pick_object(const std::function<bool(const object&)>& pred) {
        std::vector<std::size_t> v;
        for (std::size_t i = 0; i < m_.objects.size(); ++i)
            if (pred(m_.objects[i])) v.push_back(i);
        return pick(v);
    }
    std::string new_name() { return "n" + std::to_string(names_++); }
    std::string new_lastname() {
        static const char* const pool[] = {"Lee", "O'Brien",
                                           "\xc3\x87"
                                           "elik",
                                           "van Dam", "Ng"};
        return pool[below(5)];
    }
    std::optional<int> new_age() {
        if (chance(20)) return std::nullopt;
        return static_cast<int>(below(100));
    }
    /// A key no row ever had and no generated key reaches: counting down from 9e15 in
    /// steps of a million (generated keys are either small or just above an existing row).
    std::int64_t fresh_key() {
        const auto k = next_fresh_;
        next_fresh_ -= 1'000'000;
        return k;
    }
    std::vector<std::int64_t> stable_rows(std::optional<std::int64_t> except = {}) const;
    std::vector<std::int64_t> switch_keys() const;
    std::vector<std::int64_t> free_keys() const;

    // The log and the problems.
    void note(const std::string& line) { log_.push_back(std::to_string(step_no_) + ". " + line); }
    void more(const std::string& text) { log_.back() += text; }
    void problem(const std::string& p) { problems_.push_back(p); }
    std::optional<std::string> held(const void* p) const {
        for (const auto& o : m_.objects)
            if (o.ptr == p) return o.label;
        return std::nullopt;
    }
    outcome invoke(const std::function<void()>& call, std::string* message);
    bool expect(outcome want, outcome got, const std::string& what, const std::string& message);
    /// An operation that flushes first (when `flushes`): outcome and model from plan_flush().
    void flushing(const std::string& what, const std::function<void()>& call,
                  const std::function<void()>& after, bool flushes = true);
    std::pair<std::string, std::function<void()>> flushing_trigger();

    // Operations; false when not applicable now (the generator picks another).
    bool op_add();
    bool op_add_preset();
    bool op_add_all();
    bool op_change();
    bool op_change_key();
    bool op_fix();
    bool op_remove();
    bool op_remove_stranger();
    bool op_expunge();
    bool op_flush();
    bool op_commit();
    bool op_rollback();
    bool op_begin_nested();
    bool op_nested_commit();
    bool op_nested_rollback();
    bool op_query();
    bool op_count();
    bool op_get();
    bool op_fault();
    bool add_one(const student& v, const std::string& why);
    bool set_key(std::size_t i, std::optional<std::int64_t> key, const std::string& why);
    bool remove_object(std::size_t i);
    bool expunge_object(std::size_t i);
    void check_query(const std::vector<student*>& got);
    void check_loaded(student* got, std::int64_t key, const std::string& what);
    bool disk_full();
    bool kill_backend();
    bool failed_commit();
    /// Ends the session's connection from outside; the count ended, or -1 with `*error`.
    int end_session_connection(std::string* error);
    /// PostgreSQL: exactly the session's backend; MariaDB: every other connection to the
    /// test's database, the session's among them (one closing after an earlier seed may
    /// still be there).
    [[nodiscard]] bool session_connection_ended(int n) const noexcept {
        return cfg_.backend == backend_kind::mariadb ? n >= 1 : n == 1;
    }
    [[nodiscard]] std::string ending_description() const {
        if (cfg_.backend == backend_kind::mariadb)
            return "KILL CONNECTION of every other connection to the test's database";
        return "pg_terminate_backend() of the session's connection (application_name " + app_name_ +
               ")";
    }
    void open_mariadb(const engine_options& eo);

    const run_config& cfg_;
    std::mt19937_64 rng_;
    session_options opts_;
    session_model m_;
    std::int64_t next_fresh_ = 9'000'000'000'000'000;
    int names_ = 0;
    int step_no_ = 0;
    bool just_ended_ = false; ///< the last step ended the session's transaction
    std::vector<std::string> log_, problems_;
    std::vector<std::string> echo_, op_echo_; ///< SQL of the running step; of the last operation
    std::map<std::string, int> counts_;
    int skipped_reads_ = 0;
    std::string app_name_;

    std::unique_ptr<sqlite_reader> sqlite_;
#ifdef TABELLA_MODEL_WITH_LIBPQ
    std::unique_ptr<pg_client> pg_;
#endif
#ifdef TABELLA_MODEL_WITH_MARIADB
    std::unique_ptr<mariadb_client> mariadb_;
#endif
    std::optional<engine> eng_;
    std::optional<connection> conn_;
    std::optional<session> s_;
    std::vector<nested_transaction> nested_;
};

} // namespace tabella::testing::model
