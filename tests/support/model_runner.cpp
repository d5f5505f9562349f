// The generator and executor of the randomized session test (see model_runner.hpp).
#include "model_runner.hpp"

#include "model_clients.hpp"
#include "model_session.hpp"

#include <tabella/tabella.hpp>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <sstream>
#include <unistd.h>

namespace tabella::testing::model {
namespace {

using model::name_of; // the object_state one, next to the overloads below
using models::student;

enum class outcome { ok, unique, connection, disk_full, usage, other };

const char* name_of(outcome o) {
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

const char* name_of(insert_strategy s) {
    switch (s) {
    case insert_strategy::automatic:
        return "automatic";
    case insert_strategy::reserve_keys:
        return "reserve_keys";
    case insert_strategy::row_by_row:
        return "row_by_row";
    case insert_strategy::copy:
        return "copy";
    case insert_strategy::returning:
        return "returning";
    }
    return "?";
}

const char* name_of(backend_kind b) {
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

// ----------------------------------------------------------------------------------------
// Setup, the step loop, the checks.

void run::open() {
    switch (below(4)) {
    case 0:
        opts_.strategy = insert_strategy::row_by_row;
        break;
    case 1:
        opts_.strategy = cfg_.backend == backend_kind::postgres  ? insert_strategy::copy
                         : cfg_.backend == backend_kind::mariadb ? insert_strategy::row_by_row
                                                                 : insert_strategy::reserve_keys;
        break;
    default:
        opts_.strategy = insert_strategy::automatic;
    }
    static const std::size_t pages[] = {0, 0, 1, 2, 3};
    opts_.page_size = pages[below(5)];
    opts_.autoflush = !chance(20);

    engine_options eo;
    eo.echo = true;
    eo.echo_sink = [this](std::string_view line) {
        if (echo_.size() < 400) echo_.emplace_back(line.substr(0, 400));
    };
    if (cfg_.backend == backend_kind::mariadb) {
        open_mariadb(eo);
    } else if (cfg_.backend == backend_kind::postgres) {
#ifdef TABELLA_MODEL_WITH_LIBPQ
        const auto u = parse_url(cfg_.url);
        const auto options = u.query.find("options");
        pg_ = std::make_unique<pg_client>(cfg_.postgres_dsn,
                                          options == u.query.end() ? "" : options->second);
        std::string err;
        if (!pg_->ok(&err)) throw std::runtime_error(err);
        auto setup = create_engine(cfg_.url);
        drop_all<student>(setup);
        create_all<student>(setup);
        static int counter = 0;
        app_name_ = "tabella-model-" + std::to_string(::getpid()) + "-" +
                    std::to_string(cfg_.seed) + "-" + std::to_string(counter++);
        eng_.emplace(create_engine(cfg_.url + "&application_name=" + app_name_, eo));
        s_.emplace(*eng_, opts_);
#else
        throw std::runtime_error("built without libpq: no PostgreSQL checker");
#endif
    } else {
        sqlite_watch::install();
        const auto u = parse_url(cfg_.url);
        std::string path = u.database;
        if (cfg_.backend == backend_kind::sqlite_memory)
            path = "file:" + u.query.at("memdb") + "?vfs=memdb";
        sqlite_ = std::make_unique<sqlite_reader>(path); // first: it keeps a memdb alive
        eng_.emplace(create_engine(cfg_.url, eo));
        create_all<student>(*eng_);
        conn_.emplace(eng_->connect());
        const auto marker = sqlite_watch::new_marker();
        conn_->execute_sql(marker);
        if (!sqlite_watch::watching(marker))
            throw std::runtime_error("the SQLite hooks did not see the session's connection");
        // A session on a connection without a transaction owns its transactions on it.
        s_.emplace(*conn_, opts_);
    }
}

// The session on an engine of its own; the checker, connected to the test's database,
// kills whatever else is connected to it.
void run::open_mariadb(const engine_options& eo) {
#ifdef TABELLA_MODEL_WITH_MARIADB
    mariadb_ = std::make_unique<mariadb_client>(cfg_.url);
    std::string err;
    if (!mariadb_->ok(&err)) throw std::runtime_error(err);
    {
        auto setup = create_engine(cfg_.url);
        drop_all<student>(setup);
        create_all<student>(setup);
    }
    eng_.emplace(create_engine(cfg_.url, eo));
    s_.emplace(*eng_, opts_);
#else
    (void)eo;
    throw std::runtime_error("built without Connector/C: no MariaDB checker");
#endif
}

int run::end_session_connection(std::string* error) {
#ifdef TABELLA_MODEL_WITH_MARIADB
    if (mariadb_) return mariadb_->kill_others(error);
#endif
#ifdef TABELLA_MODEL_WITH_LIBPQ
    if (pg_) return pg_->terminate(app_name_, error);
#endif
    *error = "no client to end the session's connection with";
    return -1;
}

void run::close() noexcept {
    for (auto it = nested_.rbegin(); it != nested_.rend(); ++it) {
        try {
            if (it->is_active()) it->rollback();
        } catch (...) {
            // already reported, or the session is broken: only cleaning up here
        }
    }
    nested_.clear();
    s_.reset();
    conn_.reset();
    eng_.reset();
}

void run::step(const std::function<void()>& body) {
    ++step_no_;
    echo_.clear();
    just_ended_ = false;
    try {
        body();
    } catch (const std::exception& e) {
        problem(std::string("unexpected exception out of the step: ") + e.what());
    }
    op_echo_ = std::move(echo_);
    echo_.clear();
    if (problems_.empty()) {
        if (const auto a = m_.ambiguity())
            problem("model (test bug): the generator made an open question: " + *a);
        check();
    }
}

void run::pick_op() {
    const bool needs_fix = m_.plan_flush().violation;
    int total = 0;
    for (const auto& k : ops())
        if (!cfg_.skip.contains(k.name))
            total += k.name == std::string("fix") ? 25 * needs_fix : k.weight;
    for (int attempt = 0; attempt < 200 && total > 0; ++attempt) {
        auto r = static_cast<int>(below(static_cast<std::size_t>(total)));
        for (const auto& k : ops()) {
            if (cfg_.skip.contains(k.name)) continue;
            const int w = k.name == std::string("fix") ? 25 * needs_fix : k.weight;
            if (r >= w) {
                r -= w;
                continue;
            }
            if ((this->*k.fn)()) {
                ++counts_[k.name];
                return;
            }
            break;
        }
    }
    op_flush();
}

void run::check() {
    std::string err;
    bool busy = false;
    std::optional<table> rows;
#ifdef TABELLA_MODEL_WITH_LIBPQ
    if (pg_) rows = pg_->rows(&err);
#endif
#ifdef TABELLA_MODEL_WITH_MARIADB
    if (mariadb_) rows = mariadb_->rows(&err);
#endif
    if (sqlite_) rows = sqlite_->rows(&busy, &err);
    if (rows) {
        if (*rows != m_.committed)
            problem("the committed rows (read with " +
                    std::string(sqlite_                                  ? "sqlite3"
                                : cfg_.backend == backend_kind::postgres ? "libpq"
                                                                         : "Connector/C") +
                    ") are not the model's:\n" + difference(*rows, m_.committed));
    } else if (busy) {
        if (just_ended_)
            problem("the session still holds the database's write lock after its transaction "
                    "ended: another connection cannot read");
        else
            ++skipped_reads_; // a memdb writer keeps readers out; checked at the next end
    } else {
        problem(err);
    }
    for (auto& p : object_problems(m_)) problem(p);
    if (problems_.empty()) { // the identity map: get() of a held row is that object, no flush
        const auto pending = s_->pending_count();
        for (const auto& o : m_.objects) {
            if (o.state != object_state::persistent || o.marked || m_.key_changed(o)) continue;
            student* got = s_->get<student>(*o.loaded);
            if (got != o.ptr) {
                problem("get(" + std::to_string(*o.loaded) + ") returns " +
                        (got ? held(got).value_or("a new object") : "nullptr") + ", not " +
                        o.label + ", which is persistent with that key");
                break;
            }
        }
        if (s_->pending_count() != pending)
            problem("get() of keys the identity map holds flushed pending objects");
    }
    for (const auto& e : m_.model_errors) problem("model (test bug): " + e);
    m_.model_errors.clear();
}

std::vector<std::string> run::object_problems(const session_model& m) const {
    std::vector<std::string> out;
    for (const auto& o : m.objects) {
        const auto st = s_->state_of(*o.ptr);
        if (st != o.state)
            out.push_back(o.label + ": state_of() is " + name_of(st) + ", the contract says " +
                          name_of(o.state) + (o.marked ? " (marked for deletion)" : ""));
        if (!same(*o.ptr, o.members))
            out.push_back(o.label + " holds " + describe(*o.ptr) + ", the contract says " +
                          describe(o.members));
    }
    if (s_->pending_count() != m.pending_count())
        out.push_back("pending_count() is " + std::to_string(s_->pending_count()) +
                      ", the contract says " + std::to_string(m.pending_count()));
    return out;
}

run_result run::go() {
    run_result res;
    try {
        open();
    } catch (const std::exception& e) {
        res.failed = true;
        res.report = std::string(name_of(cfg_.backend)) + " seed " + std::to_string(cfg_.seed) +
                     ": setup failed: " + e.what();
        close();
        return res;
    }
    while (step_no_ < cfg_.steps && problems_.empty()) step([&] { pick_op(); });
    // Finish: nested transactions innermost first, then the session's own.
    while (problems_.empty() && !m_.levels.empty()) step([&] { op_nested_rollback(); });
    if (problems_.empty())
        step([&] {
            if (m_.plan_flush().violation)
                op_rollback();
            else
                op_commit();
        });

    std::ostringstream summary;
    summary << name_of(cfg_.backend) << " seed " << cfg_.seed << " (" << name_of(opts_.strategy)
            << ", page_size " << opts_.page_size << ", autoflush " << opts_.autoflush
            << "): " << step_no_ << " steps;";
    for (const auto& [k, n] : counts_) summary << ' ' << k << '=' << n;
    if (skipped_reads_) summary << "; reads kept out by the writer's lock: " << skipped_reads_;
    res.summary = summary.str();
    for (const auto& l : log_) res.operations += "  " + l + '\n';
    if (!problems_.empty()) {
        std::ostringstream out;
        out << name_of(cfg_.backend) << " seed " << cfg_.seed
            << ", session_options{.strategy = " << name_of(opts_.strategy)
            << ", .page_size = " << opts_.page_size << ", .autoflush = " << opts_.autoflush
            << "}: step " << step_no_ << " does not follow docs/session.md:\n";
        for (const auto& p : problems_) out << "  - " << p << '\n';
        out << "operations (replay: TABELLA_MODEL_SEED=" << cfg_.seed
            << " TABELLA_MODEL_STEPS=" << cfg_.steps << ", backend " << name_of(cfg_.backend)
            << "):\n";
        for (const auto& l : log_) out << "  " << l << '\n';
        out << "SQL of the last operation:\n";
        for (const auto& l : op_echo_) out << "  | " << l << '\n';
        if (!echo_.empty()) out << "SQL of the checks after it (get() of held keys):\n";
        for (const auto& l : echo_) out << "  | " << l << '\n';
        res.failed = true;
        res.report = out.str();
    }
    close();
    return res;
}

// ----------------------------------------------------------------------------------------
// Outcomes.

outcome run::invoke(const std::function<void()>& call, std::string* message) {
    try {
        call();
        return outcome::ok;
    } catch (const unique_violation& e) {
        *message = e.what();
        return outcome::unique;
    } catch (const connection_error& e) {
        *message = e.what();
        return outcome::connection;
    } catch (const usage_error& e) {
        *message = e.what();
        return outcome::usage;
    } catch (const sql_error& e) {
        *message = e.what();
        return e.sqlstate() == "53100" ? outcome::disk_full : outcome::other;
    } catch (const std::exception& e) {
        *message = e.what();
        return outcome::other;
    }
}

bool run::expect(outcome want, outcome got, const std::string& what, const std::string& message) {
    if (want == got) return true;
    problem(what + ": expected " + name_of(want) + ", got " + name_of(got) +
            (message.empty() ? "" : ": " + message));
    return false;
}

void run::flushing(const std::string& what, const std::function<void()>& call,
                   const std::function<void()>& after, bool flushes) {
    const auto plan = flushes ? m_.plan_flush() : flush_plan{};
    const outcome want = plan.violation ? outcome::unique : outcome::ok;
    note(what + (plan.violation ? " -> expect unique_violation (" + plan.why + ")" : ""));
    std::string message;
    const outcome got = invoke(call, &message);
    if (plan.key_change_violation && got == outcome::usage) return; // refused before sending
    if (!expect(want, got, what, message) || got != outcome::ok) return;
    if (flushes)
        for (auto& p : m_.apply_flush()) problem(p);
    if (after) after();
}

// ----------------------------------------------------------------------------------------
// Keys the generator may use.

std::vector<std::int64_t> run::stable_rows(std::optional<std::int64_t> except) const {
    const auto unsettled = m_.unsettled_keys();
    std::vector<std::int64_t> out;
    for (const auto& [k, r] : m_.txview)
        if (!unsettled.contains(k) && k != except) out.push_back(k);
    return out;
}

std::vector<std::int64_t> run::switch_keys() const {
    std::vector<std::int64_t> out;
    for (const auto& a : m_.objects) {
        if (a.state != object_state::persistent || !a.marked || a.members.id != a.loaded) continue;
        bool taken = false;
        for (const auto& o : m_.objects)
            taken |= o.state == object_state::pending && o.members.id == a.loaded;
        if (!taken) out.push_back(*a.loaded);
    }
    return out;
}

std::vector<std::int64_t> run::free_keys() const {
    // Keys of rows deleted since, below the largest key: no generated key reaches them.
    std::vector<std::int64_t> out;
    if (m_.txview.empty()) return out;
    const auto unsettled = m_.unsettled_keys();
    const auto top = m_.txview.rbegin()->first;
    for (const auto k : m_.seen_keys) {
        if (k >= top || m_.txview.contains(k) || unsettled.contains(k)) continue;
        bool pending = false;
        for (const auto& o : m_.objects)
            pending |= o.state == object_state::pending && o.members.id == k;
        if (!pending) out.push_back(k);
    }
    return out;
}

// ----------------------------------------------------------------------------------------
// Operations on objects.

bool run::add_one(const student& v, const std::string& why) {
    session_model sim = m_;
    sim.add_pending(nullptr, v);
    if (sim.ambiguity()) return false;
    note("add #" + std::to_string(m_.objects.size()) + " " + describe(v) + why);
    student& ref = s_->add(student(v));
    if (const auto l = held(&ref)) problem("add() returned the address of " + *l);
    m_.add_pending(&ref, v);
    return true;
}

bool run::op_add() {
    return add_one({std::nullopt, new_name(), new_lastname(), new_age()}, "");
}

bool run::op_add_preset() {
    student v{std::nullopt, new_name(), new_lastname(), new_age()};
    std::string why;
    switch (below(4)) {
    case 0:
        v.id = fresh_key();
        why = " (a new key)";
        break;
    case 1:
        v.id = pick(stable_rows());
        why = " (the key of an existing row: its flush fails)";
        break;
    case 2:
        v.id = pick(switch_keys());
        why = " (the key of a removed object: row switch)";
        break;
    default:
        v.id = pick(free_keys());
        why = " (the key of a deleted row)";
    }
    return v.id && add_one(v, why);
}

bool run::op_add_all() {
    std::vector<student> v(1 + below(4));
    session_model sim = m_;
    std::string text = "add_all [";
    for (auto& x : v) {
        x = {std::nullopt, new_name(), new_lastname(), new_age()};
        const auto r = below(10);
        if (r >= 7) x.id = fresh_key();
        if (r == 6) x.id = pick(stable_rows());
        text += (&x == &v.front() ? "#" : ", #") + std::to_string(sim.objects.size()) + " " +
                describe(x);
        sim.add_pending(nullptr, x);
    }
    if (sim.ambiguity()) return false;
    note(text + "]");
    auto copy = v;
    const std::span<student> got = s_->add_all(std::move(copy));
    if (got.size() != v.size()) {
        problem("add_all() of " + std::to_string(v.size()) + " objects returned a span of " +
                std::to_string(got.size()));
        return true;
    }
    for (std::size_t j = 0; j < v.size(); ++j) {
        if (const auto l = held(&got[j])) problem("add_all() returned the address of " + *l);
        m_.add_pending(&got[j], v[j]);
    }
    return true;
}

bool run::op_change() {
    const auto i = pick_object([](const object& o) { return o.state != object_state::deleted; });
    if (!i) return false;
    auto& o = m_.objects[*i];
    const auto what = below(3);
    if (what != 1) o.members.name = new_name();
    if (what != 0) o.members.age = new_age();
    note(o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ").name = \"" +
         o.members.name +
         "\", .age = " + (o.members.age ? std::to_string(*o.members.age) : "NULL"));
    o.ptr->name = o.members.name;
    o.ptr->age = o.members.age;
    return true;
}

bool run::set_key(std::size_t i, std::optional<std::int64_t> key, const std::string& why) {
    session_model sim = m_;
    sim.objects[i].members.id = key;
    if (sim.ambiguity()) return false;
    auto& o = m_.objects[i];
    note(o.label + " (" + name_of(o.state) +
         ").id = " + (key ? std::to_string(*key) : std::string("none")) + why);
    o.members.id = key;
    o.ptr->id = key;
    return true;
}

bool run::op_change_key() {
    const auto i = pick_object([](const object& o) {
        return o.state == object_state::persistent && !o.marked && !o.inserted_in_tx;
    });
    if (!i) return false;
    const auto& o = m_.objects[*i];
    const auto r = below(100);
    if (r < 60) return set_key(*i, fresh_key(), " (key change to a new key: an UPDATE of the key)");
    if (r < 85) {
        const auto k = pick(stable_rows(o.loaded));
        return k && set_key(*i, k, " (key change to an existing row's key: its flush fails)");
    }
    return m_.key_changed(o) && set_key(*i, o.loaded, " (back to its loaded key)");
}

bool run::op_fix() {
    const auto plan = m_.plan_flush();
    if (!plan.violation) return false;
    const auto i = *pick(plan.offenders);
    const auto& o = m_.objects[i];
    const auto r = below(100);
    if (o.state == object_state::pending) {
        if (r < 45) return set_key(i, fresh_key(), " (fix: a new key)");
        if (r < 60) return set_key(i, std::nullopt, " (fix: a generated key)");
        if (r < 85) return remove_object(i);
        return expunge_object(i);
    }
    if (r < 60) return set_key(i, o.loaded, " (fix: back to its loaded key)");
    return set_key(i, fresh_key(), " (fix: a new key)");
}

bool run::remove_object(std::size_t i) {
    session_model sim = m_;
    auto& so = sim.objects[i];
    if (so.state == object_state::pending) so.state = object_state::detached;
    if (so.state == object_state::persistent) so.marked = true;
    if (sim.ambiguity()) return false;
    const auto& o = m_.objects[i];
    const outcome want = o.state == object_state::detached ? outcome::usage : outcome::ok;
    note("remove " + o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ")" +
         (want == outcome::usage ? " -> expect usage_error" : ""));
    std::string message;
    if (expect(want, invoke([&] { s_->remove(*o.ptr); }, &message), "remove", message))
        m_.objects[i] = so;
    return true;
}

bool run::op_remove() {
    const bool detached = chance(10);
    const auto i = pick_object(
        [&](const object& o) { return (o.state == object_state::detached) == detached; });
    return i && remove_object(*i);
}

bool run::op_remove_stranger() {
    student stranger{std::nullopt, "stranger", "never added", 1};
    note("remove an object the session never owned -> expect usage_error");
    if (s_->state_of(stranger) != object_state::detached)
        problem("state_of() of an object the session never owned is not detached");
    std::string message;
    expect(outcome::usage, invoke([&] { s_->remove(stranger); }, &message), "remove", message);
    return true;
}

bool run::expunge_object(std::size_t i) {
    session_model sim = m_;
    sim.objects[i].state = object_state::detached;
    sim.objects[i].marked = false;
    if (sim.ambiguity()) return false;
    const auto& o = m_.objects[i];
    note("expunge " + o.label + " (" + name_of(o.state) + (o.marked ? ", removed" : "") + ")");
    std::string message;
    if (expect(outcome::ok, invoke([&] { s_->expunge(*o.ptr); }, &message), "expunge", message))
        m_.objects[i] = sim.objects[i];
    return true;
}

bool run::op_expunge() {
    const auto i = pick_object([&](const object& o) { return m_.may_expunge(o); });
    return i && expunge_object(*i);
}

// ----------------------------------------------------------------------------------------
// Operations on the session.

bool run::op_flush() {
    flushing(
        "flush", [&] { s_->flush(); }, nullptr);
    return true;
}

bool run::op_commit() {
    if (!m_.levels.empty()) return false;
    flushing(
        "commit", [&] { s_->commit(); },
        [&] {
            m_.commit();
            just_ended_ = true;
        });
    return true;
}

bool run::op_rollback() {
    if (!m_.levels.empty()) return false;
    note("rollback");
    std::string message;
    if (expect(outcome::ok, invoke([&] { s_->rollback(); }, &message), "rollback", message)) {
        m_.rollback();
        just_ended_ = true;
    }
    return true;
}

bool run::op_begin_nested() {
    if (m_.levels.size() >= 3) return false;
    flushing(
        "begin_nested (level " + std::to_string(m_.levels.size() + 1) + ")",
        [&] { nested_.push_back(s_->begin_nested()); }, [&] { m_.begin_nested(); });
    return true;
}

bool run::op_nested_commit() {
    if (m_.levels.empty() || nested_.empty() || m_.plan_flush().violation) return false;
    flushing(
        "commit nested level " + std::to_string(m_.levels.size()), [&] { nested_.back().commit(); },
        [&] {
            m_.release_nested();
            if (nested_.back().is_active())
                problem("the nested transaction is active after commit()");
            nested_.pop_back();
        });
    return true;
}

bool run::op_nested_rollback() {
    if (m_.levels.empty() || nested_.empty()) return false;
    if (chance(25)) { // going out of scope while active rolls back
        note("nested level " + std::to_string(m_.levels.size()) +
             " goes out of scope while active (a rollback)");
        nested_.pop_back();
        m_.rollback_nested();
        return true;
    }
    note("rollback nested level " + std::to_string(m_.levels.size()));
    std::string message;
    if (expect(outcome::ok, invoke([&] { nested_.back().rollback(); }, &message), "nested rollback",
               message)) {
        m_.rollback_nested();
        if (nested_.back().is_active())
            problem("the nested transaction is active after rollback()");
        nested_.pop_back();
    }
    return true;
}

void run::check_loaded(student* got, std::int64_t key, const std::string& what) {
    if (!got) return problem(what + " returned nullptr for row " + std::to_string(key));
    if (const auto h = m_.holder(key, true)) {
        if (got != m_.objects[*h].ptr)
            problem(what + " returned " + held(got).value_or("a new object") + " for row " +
                    std::to_string(key) + ", which " + m_.objects[*h].label + " holds");
        return;
    }
    if (const auto l = held(got))
        return problem(what + " returned " + *l + " (" + name_of(s_->state_of(*got)) +
                       ") for row " + std::to_string(key) + ", held by no tracked object");
    more(" -> loads #" + std::to_string(m_.objects.size()));
    m_.add_loaded(got, key);
}

void run::check_query(const std::vector<student*>& got) {
    std::vector<std::int64_t> keys;
    for (const auto& [k, r] : m_.txview) keys.push_back(k);
    if (got.size() != keys.size()) {
        std::string ids;
        for (const auto* p : got) ids += " " + (p && p->id ? std::to_string(*p->id) : "?");
        return problem("all() returned " + std::to_string(got.size()) + " objects (ids" + ids +
                       ") for the " + std::to_string(keys.size()) + " rows the transaction sees");
    }
    for (std::size_t j = 0; j < keys.size(); ++j) check_loaded(got[j], keys[j], "all()");
}

bool run::op_query() {
    if (chance(25)) {
        student* first = nullptr;
        flushing(
            "query<student>().order_by(id).first()",
            [&] { first = s_->query<student>().order_by(&student::id).first(); },
            [&] {
                if (!m_.txview.empty())
                    check_loaded(first, m_.txview.begin()->first, "first()");
                else if (first)
                    problem("first() returned " + held(first).value_or("a new object") +
                            " although the transaction sees no row");
            },
            opts_.autoflush);
        return true;
    }
    std::vector<student*> got;
    flushing(
        "query<student>().order_by(id).all()",
        [&] { got = s_->query<student>().order_by(&student::id).all(); }, [&] { check_query(got); },
        opts_.autoflush);
    return true;
}

bool run::op_count() {
    std::int64_t got = -1;
    flushing(
        "query<student>().count()", [&] { got = s_->query<student>().count(); },
        [&] {
            if (got != static_cast<std::int64_t>(m_.txview.size()))
                problem("count() is " + std::to_string(got) + ", the transaction sees " +
                        std::to_string(m_.txview.size()) + " rows");
        },
        opts_.autoflush);
    return true;
}

bool run::op_get() {
    std::vector<std::int64_t> keys;
    for (const auto& [k, r] : m_.txview) keys.push_back(k);
    keys.insert(keys.end(), m_.seen_keys.begin(), m_.seen_keys.end());
    for (const auto& o : m_.objects)
        if (o.state == object_state::pending && o.members.id) keys.push_back(*o.members.id);
    keys.push_back(1 + static_cast<std::int64_t>(below(40)));
    const auto unsettled = m_.unsettled_keys();
    std::erase_if(keys, [&](std::int64_t k) { return unsettled.contains(k); });
    const auto key = pick(keys);
    if (!key) return false;
    const std::string what = "get(" + std::to_string(*key) + ")";
    student* got = nullptr;
    if (const auto h = m_.holder(*key, false)) { // in the identity map: no flush
        note(what + " -> " + m_.objects[*h].label + " from the identity map");
        std::string message;
        if (expect(outcome::ok, invoke([&] { got = s_->get<student>(*key); }, &message), what,
                   message) &&
            got != m_.objects[*h].ptr)
            problem(what + " returned " + (got ? held(got).value_or("a new object") : "nullptr") +
                    " instead of " + m_.objects[*h].label);
        return true;
    }
    flushing(
        what, [&] { got = s_->get<student>(*key); },
        [&] {
            if (m_.holder(*key, true) || m_.txview.contains(*key))
                check_loaded(got, *key, what);
            else if (got)
                problem(what + " returned " + held(got).value_or("a new object") + " (" +
                        name_of(s_->state_of(*got)) + ") for a key without a row");
        },
        opts_.autoflush);
    return true;
}

// ----------------------------------------------------------------------------------------
// Faults: the database ends the transaction, or (SQLite) rolls back one statement.

std::pair<std::string, std::function<void()>> run::flushing_trigger() {
    switch (below(opts_.autoflush ? 5 : 3)) {
    case 0:
        return {"flush", [&] { s_->flush(); }};
    case 1:
        return {"commit", [&] { s_->commit(); }};
    case 2:
        return {"begin_nested", [&] { nested_.push_back(s_->begin_nested()); }};
    case 3:
        return {"count()", [&] { (void)s_->query<student>().count(); }};
    default:
        return {"all()", [&] { (void)s_->query<student>().all(); }};
    }
}

bool run::disk_full() {
    // One object larger than every free page: its INSERT must grow the file.
    const auto page = conn_->execute_sql("PRAGMA page_size").scalar<std::int64_t>();
    const auto free = conn_->execute_sql("PRAGMA freelist_count").scalar<std::int64_t>();
    const auto bytes = static_cast<std::size_t>((free + 8) * page);
    if (!add_one({std::nullopt, new_name(), std::string(bytes, 'x'), std::nullopt},
                 " (larger than the free pages)"))
        return true;
    auto [name, call] = flushing_trigger();
    note("disk full: PRAGMA max_page_count = 1 (the current size), then " + name +
         " -> expect sql_error 53100");
    conn_->execute_sql("PRAGMA max_page_count = 1");
    sqlite_watch::clear_ended();
    std::string message;
    const auto got = invoke(call, &message);
    conn_->execute_sql("PRAGMA max_page_count = 1073741823");
    const bool ended = sqlite_watch::ended_by_database();
    more(ended ? "; SQLite rolled back the whole transaction itself"
               : "; SQLite rolled back the statement, the transaction went on");
    counts_[ended ? "fault_tx_ended" : "fault_stmt_rolled_back"]++;
    if (expect(outcome::disk_full, got, name + " on a full database", message) && ended)
        m_.database_ended_transaction();
    return true;
}

bool run::kill_backend() {
#if defined(TABELLA_MODEL_WITH_LIBPQ) || defined(TABELLA_MODEL_WITH_MARIADB)
    // Only while the session must hold its connection: its transaction has work in it.
    if (!m_.tx_work) return false;
    if (!m_.plan_flush().sends && chance(50)) return failed_commit();
    if (!m_.plan_flush().sends &&
        !add_one({std::nullopt, new_name(), new_lastname(), new_age()}, " (work to flush)"))
        return true;
    auto [name, call] = flushing_trigger();
    note(ending_description() + ", then " + name + " -> expect connection_error");
    std::string err;
    const int n = end_session_connection(&err);
    if (n < 0) {
        problem(err);
        return true;
    }
    if (!session_connection_ended(n)) {
        problem("found " + std::to_string(n) + " backends named " + app_name_ +
                "; the session must hold exactly its own connection while its transaction "
                "has uncommitted work");
        return true;
    }
    std::string message;
    if (expect(outcome::connection, invoke(call, &message), name + " after the backend died",
               message))
        m_.database_ended_transaction();
    return true;
#else
    return false;
#endif
}

bool run::failed_commit() {
#if defined(TABELLA_MODEL_WITH_LIBPQ) || defined(TABELLA_MODEL_WITH_MARIADB)
    note(ending_description() + ", then commit with nothing to flush -> expect connection_error");
    std::string err;
    const int n = end_session_connection(&err);
    if (!session_connection_ended(n)) {
        problem(n < 0 ? err
                      : "found " + std::to_string(n) + " backends named " + app_name_ +
                            "; the session must hold exactly its own connection while its "
                            "transaction has uncommitted work");
        return true;
    }
    std::string message;
    if (!expect(outcome::connection, invoke([&] { s_->commit(); }, &message),
                "commit after the backend died", message))
        return true;
    // Its COMMIT failed: the rollback rule. Unless its flush, with nothing to send, already
    // touched the connection (a SAVEPOINT) and failed: then the rule of a flush in a
    // transaction the database ended. docs/session.md does not say which; either is right.
    session_model rolled_back = m_, lost = m_;
    rolled_back.rollback();
    lost.database_ended_transaction();
    const auto as_rolled_back = object_problems(rolled_back);
    const auto as_lost = object_problems(lost);
    if (as_rolled_back.empty()) {
        m_ = std::move(rolled_back);
        more("; the session applied the rollback rule");
    } else if (as_lost.empty()) {
        m_ = std::move(lost);
        more("; the session applied the rule of a lost transaction (its flush failed)");
    } else {
        problem("after a failed COMMIT the objects follow neither the rollback rule nor the "
                "rule of a flush in a transaction the database ended:");
        for (const auto& p : as_rolled_back) problem("by the rollback rule: " + p);
        for (const auto& p : as_lost) problem("by the lost-transaction rule: " + p);
    }
    just_ended_ = true;
#endif
    return true;
}

bool run::op_fault() {
    std::string why;
    if (!m_.may_lose_transaction(&why)) return false;
    // Mostly while the transaction has work in it: there losing it differs from a failed
    // statement.
    if (!m_.tx_work && chance(80)) return false;
    const bool server =
        cfg_.backend == backend_kind::postgres || cfg_.backend == backend_kind::mariadb;
    return server ? kill_backend() : disk_full();
}

} // namespace

std::vector<std::string> operation_names() {
    std::vector<std::string> out;
    for (const auto& k : run::ops()) out.emplace_back(k.name);
    return out;
}

run_result run_seed(const run_config& cfg) {
    return run(cfg).go();
}

} // namespace tabella::testing::model
