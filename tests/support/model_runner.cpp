// The randomized session test: setup, the step loop and the checks (see model_run.hpp).
#include "model_run.hpp"

#include <algorithm>
#include <sstream>
#include <unistd.h>

namespace tabella::testing::model {

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

std::vector<std::string> operation_names() {
    std::vector<std::string> out;
    for (const auto& k : run::ops()) out.emplace_back(k.name);
    return out;
}

run_result run_seed(const run_config& cfg) {
    return run(cfg).go();
}

} // namespace tabella::testing::model
