// What differs between the backends, for tests that create tables, triggers or faults of
// their own: one traits struct per backend, so that a test never asks the dialect its name.
#pragma once

#include "backends.hpp"

#include <tabella/connection.hpp>
#include <tabella/detail/statement_runner.hpp>
#include <tabella/engine.hpp>
#include <tabella/session.hpp>

#include <string>
#include <vector>

namespace tabella::testing {

template <class Backend>
struct backend_traits;

/// SQLite, file or memory.
struct sqlite_traits {
    /// Column definitions of a key column.
    static constexpr const char* generated_key = "INTEGER PRIMARY KEY"; // the rowid
    static constexpr const char* autoincrement_key = "INTEGER PRIMARY KEY AUTOINCREMENT";
    /// A key the database does not fill in (INT is not INTEGER: not the rowid).
    static constexpr const char* ungenerated_key = "INT PRIMARY KEY";

    /// The automatic strategy sends objects with generated keys in multi-row statements
    /// (keys reserved, or COPY); false where it inserts them one row at a time.
    static constexpr bool batches_generated_keys = true;
    /// The insert strategies the driver offers.
    static std::vector<insert_strategy> strategies() {
        return {insert_strategy::automatic, insert_strategy::reserve_keys,
                insert_strategy::row_by_row};
    }

    /// A BEFORE INSERT trigger on students that silently drops rows named 'skip...'.
    static std::vector<std::string> skip_rows_trigger() {
        return {"CREATE TRIGGER skip_rows BEFORE INSERT ON students WHEN NEW.name LIKE 'skip%' "
                "BEGIN SELECT RAISE(IGNORE); END"};
    }
    /// An AFTER INSERT trigger, on the table spelled ITEMS (it was created as items), that
    /// inserts a 'shadow of <label>' row into items for every other row ({}: impossible).
    static std::vector<std::string> shadow_rows_trigger() {
        return {"CREATE TRIGGER shadow_items AFTER INSERT ON ITEMS WHEN NEW.label NOT LIKE "
                "'shadow%' BEGIN INSERT INTO items (label) VALUES ('shadow of ' || NEW.label); "
                "END"};
    }
    /// A trigger that stores every items label in upper case.
    static std::vector<std::string> upper_label_trigger() {
        return {"CREATE TRIGGER upper_label AFTER INSERT ON items BEGIN UPDATE items SET label "
                "= upper(NEW.label) WHERE id = NEW.id; END"};
    }
    /// A trigger that gives items rows a key of its own; SQLite triggers cannot set NEW.id.
    static std::vector<std::string> key_assigning_trigger() { return {}; }
    /// The clause of a foreign key to students checked at COMMIT ("": none can be).
    static constexpr const char* deferred_reference =
        "REFERENCES students (id) DEFERRABLE INITIALLY DEFERRED";

    /// A text value may hold a NUL byte.
    static constexpr bool stores_nul_in_text = true;
    /// A URL whose transactions are serializable ("" when the tests have none). SQLite's
    /// are: a session's transaction takes the write lock at its start.
    static std::string serializable_url(const std::string& url) { return url; }
    /// Two transactions may both read a row before either writes it (and one then fails
    /// with a conflict); false where the second waits at its start instead.
    static constexpr bool conflicting_reads = false;
    /// Statements that make a connection give up waiting for a row lock quickly (SQLite:
    /// none; the engine's busy_timeout does it).
    static std::vector<std::string> short_lock_wait() { return {}; }
    /// Text of the statement that reserves keys, as echo shows it.
    static constexpr const char* key_reservation_sql = "SELECT max(rowid) FROM";
    /// Generated keys can be reserved before the rows are sent.
    static constexpr bool reserves_keys = true;
    /// Keys generated after rows with explicit keys come above them (SQLite's rowid).
    static constexpr bool generates_above_explicit_keys = true;
    /// The flush can send rows with COPY.
    static constexpr bool has_copy = false;
    /// A failed multi-row INSERT is replayed to name the object the database rejects.
    static constexpr bool names_the_rejected_object = true;

    /// The database has named sequences (CREATE SEQUENCE; column::sequence and key_sequence
    /// draw from them); SQLite has none and ignores them.
    static constexpr bool has_sequences = false;
    /// The names of the indexes of the table given as the one parameter (the catalog).
    static constexpr const char* index_names_sql =
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?";
    /// SELECT of the next value of the sequence `quoted` (a quoted name; "": no sequences).
    static std::string next_value_sql(const std::string&) { return ""; }
    /// Text of the statement that draws keys from a named sequence, as echo shows it ("":
    /// none).
    static constexpr const char* sequence_draw_sql = "";
    /// A key column whose DEFAULT is nextval of the sequence `item_ids`, which the column
    /// does not own, and whose keys are reserved from it (nullptr: not tested).
    static constexpr const char* unowned_sequence_key = nullptr;
    /// A key column whose DEFAULT adds 1 to nextval('item_ids'): not exactly one nextval.
    static constexpr const char* computed_sequence_key = nullptr;

    /// The native code of "another connection wrote since this transaction read"
    /// (SQLITE_BUSY_SNAPSHOT), a serialization_failure by docs/session.md.
    static constexpr int busy_snapshot_code = 517;

    /// The database can be made to run out of room: this connection (outside a transaction)
    /// may grow it by `pages` past its size after compacting (free pages would not count).
    static constexpr bool can_fill_database = true;
    static void limit_growth(connection& conn, int pages) {
        detail::connection_access::run_control(conn, "VACUUM"); // not in a transaction
        const auto now = conn.execute_sql("PRAGMA page_count").scalar<std::int64_t>();
        conn.execute_sql("PRAGMA max_page_count = " + std::to_string(now + pages));
    }
    static void lift_growth_limit(connection& conn) {
        conn.execute_sql("PRAGMA max_page_count = 1000000000");
    }
};

template <>
struct backend_traits<sqlite_file> : sqlite_traits {
    /// A URL for an engine of its own on the same database as `eng`.
    static std::string independent_url(const engine&, const std::string& url) { return url; }
    /// Write-ahead logging can be switched on.
    static constexpr bool has_wal = true;
    static void enable_wal(connection& conn) {
        detail::connection_access::run_control(conn, "PRAGMA journal_mode = WAL");
    }
    /// Other connections can read while a write transaction is open.
    static constexpr bool reads_beside_a_writer = true;
};

template <>
struct backend_traits<sqlite_memory> : sqlite_traits {
    // The in-memory database is named by the engine; another engine opens it by that name.
    static std::string independent_url(const engine& eng, const std::string&) {
        return "sqlite://?memdb=" + eng.url().query.at("memdb");
    }
    static constexpr bool has_wal = false;
    static void enable_wal(connection&) {}
    /// memdb locks the whole database for a writer.
    static constexpr bool reads_beside_a_writer = false;
};

template <>
struct backend_traits<postgres> {
    static constexpr const char* generated_key =
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    static constexpr const char* autoincrement_key =
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    static constexpr const char* ungenerated_key = "BIGINT PRIMARY KEY";

    static constexpr bool batches_generated_keys = true;
    static std::vector<insert_strategy> strategies() {
        return {insert_strategy::automatic, insert_strategy::reserve_keys,
                insert_strategy::row_by_row, insert_strategy::copy};
    }

    static std::vector<std::string> skip_rows_trigger() {
        return {"CREATE OR REPLACE FUNCTION skip_rows() RETURNS trigger LANGUAGE plpgsql AS $$ "
                "BEGIN IF NEW.name LIKE 'skip%' THEN RETURN NULL; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER skip_rows BEFORE INSERT ON students FOR EACH ROW EXECUTE "
                "FUNCTION skip_rows()"};
    }
    static std::vector<std::string> shadow_rows_trigger() {
        return {"CREATE OR REPLACE FUNCTION shadow_items() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN IF NEW.label NOT LIKE 'shadow%' THEN INSERT INTO items (label) VALUES "
                "('shadow of ' || NEW.label); END IF; RETURN NULL; END $$",
                "CREATE TRIGGER shadow_items AFTER INSERT ON ITEMS FOR EACH ROW EXECUTE "
                "FUNCTION shadow_items()"};
    }
    static std::vector<std::string> upper_label_trigger() {
        return {"CREATE OR REPLACE FUNCTION upper_label() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN NEW.label := upper(NEW.label); RETURN NEW; END $$",
                "CREATE TRIGGER upper_label BEFORE INSERT ON items FOR EACH ROW EXECUTE "
                "FUNCTION upper_label()"};
    }
    /// A BEFORE INSERT trigger that replaces every key with one of another sequence, +1000.
    static std::vector<std::string> key_assigning_trigger() {
        return {"CREATE SEQUENCE IF NOT EXISTS item_keys",
                "CREATE OR REPLACE FUNCTION assign_item_key() RETURNS trigger LANGUAGE plpgsql "
                "AS $$ BEGIN NEW.id := nextval('item_keys') + 1000; RETURN NEW; END $$",
                "CREATE TRIGGER assign_item_key BEFORE INSERT ON items FOR EACH ROW EXECUTE "
                "FUNCTION assign_item_key()"};
    }

    static constexpr const char* deferred_reference =
        "REFERENCES students (id) DEFERRABLE INITIALLY DEFERRED";

    static constexpr int busy_snapshot_code = -1; // 40001 is its own SQLSTATE already

    static constexpr bool stores_nul_in_text = false; // a conversion_error
    // The test URL ends in libpq's options=-csearch_path%3D<schema>: one option more.
    static std::string serializable_url(const std::string& url) {
        return url + "%20-cdefault_transaction_isolation%3Dserializable";
    }
    static constexpr bool conflicting_reads = true;
    static std::vector<std::string> short_lock_wait() { return {"SET lock_timeout = '200ms'"}; }
    static constexpr const char* key_reservation_sql = "nextval(";
    static constexpr bool reserves_keys = true;
    static constexpr bool has_sequences = true;
    static constexpr const char* index_names_sql =
        "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1";
    static std::string next_value_sql(const std::string& quoted) {
        return "SELECT nextval('" + quoted + "')";
    }
    static constexpr const char* sequence_draw_sql =
        "WITH q AS MATERIALIZED (SELECT $1::text::regclass AS s)";
    static constexpr const char* unowned_sequence_key =
        "BIGINT PRIMARY KEY DEFAULT nextval('item_ids')";
    static constexpr const char* computed_sequence_key =
        "BIGINT PRIMARY KEY DEFAULT nextval('item_ids') + 1";
    // The sequence does not know about explicit keys (as with any PostgreSQL client).
    static constexpr bool generates_above_explicit_keys = false;
    static constexpr bool has_copy = true;
    static constexpr bool names_the_rejected_object = false; // the transaction is aborted

    static constexpr bool can_fill_database = false;
    static void limit_growth(connection&, int) {}
    static void lift_growth_limit(connection&) {}

    static std::string independent_url(const engine&, const std::string& url) { return url; }
    static constexpr bool reads_beside_a_writer = true;
    static constexpr bool has_wal = false;
    static void enable_wal(connection&) {}
};

template <>
struct backend_traits<mariadb> {
    static constexpr const char* generated_key = "BIGINT AUTO_INCREMENT PRIMARY KEY";
    // InnoDB never hands out an AUTO_INCREMENT value twice (it persists since 10.2.4).
    static constexpr const char* autoincrement_key = "BIGINT AUTO_INCREMENT PRIMARY KEY";
    static constexpr const char* ungenerated_key = "BIGINT PRIMARY KEY";

    /// No reserve_keys (AUTO_INCREMENT cannot be reserved safely), no COPY: generated keys
    /// come back with multi-row INSERT ... RETURNING, in VALUES order.
    static constexpr bool batches_generated_keys = true;
    static std::vector<insert_strategy> strategies() {
        return {insert_strategy::automatic, insert_strategy::row_by_row,
                insert_strategy::returning};
    }
    static constexpr bool stores_nul_in_text = true;
    // InnoDB's default REPEATABLE READ lets a read-modify-write lose updates, and the
    // driver's URL sets no isolation level.
    static std::string serializable_url(const std::string&) { return ""; }
    static constexpr bool conflicting_reads = false;
    static std::vector<std::string> short_lock_wait() {
        return {"SET SESSION innodb_lock_wait_timeout = 1"};
    }
    static constexpr const char* key_reservation_sql = nullptr; // keys are not reserved
    static constexpr bool reserves_keys = false;
    static constexpr bool has_sequences = true; // since 10.3
    static constexpr const char* index_names_sql =
        "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = "
        "DATABASE() AND table_name = ?";
    static std::string next_value_sql(const std::string& quoted) {
        return "SELECT NEXTVAL(" + quoted + ")";
    }
    static constexpr const char* sequence_draw_sql = ") FROM seq_1_to_65536 WHERE seq <= ?";
    // A DEFAULT NEXTVAL(s) key is not reserved on MariaDB (no reserve_keys): RETURNING.
    static constexpr const char* unowned_sequence_key = nullptr;
    static constexpr const char* computed_sequence_key = nullptr;
    static constexpr bool generates_above_explicit_keys = true; // AUTO_INCREMENT moves up
    static constexpr bool has_copy = false;
    // Rows with generated keys go out with RETURNING, which is not replayed row by row.
    static constexpr bool names_the_rejected_object = false;

    /// A MariaDB trigger cannot drop a row silently: it rejects it (SIGNAL), which fails
    /// the flush the same way.
    static std::vector<std::string> skip_rows_trigger() {
        return {"CREATE TRIGGER skip_rows BEFORE INSERT ON students FOR EACH ROW "
                "IF NEW.name LIKE 'skip%' THEN "
                "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'row skipped'; END IF"};
    }
    /// A trigger cannot write the table it fires on (error 1442), and table names are
    /// case-sensitive on Linux.
    static std::vector<std::string> shadow_rows_trigger() { return {}; }
    static std::vector<std::string> upper_label_trigger() {
        return {"CREATE TRIGGER upper_label BEFORE INSERT ON items FOR EACH ROW SET NEW.label = "
                "UPPER(NEW.label)"};
    }
    static std::vector<std::string> key_assigning_trigger() {
        return {"CREATE SEQUENCE IF NOT EXISTS item_keys",
                "CREATE TRIGGER assign_item_key BEFORE INSERT ON items FOR EACH ROW "
                "SET NEW.id = NEXTVAL(item_keys) + 1000"};
    }
    /// InnoDB checks foreign keys at once, never at COMMIT.
    static constexpr const char* deferred_reference = "";

    static constexpr int busy_snapshot_code = -1;

    static constexpr bool can_fill_database = false;
    static void limit_growth(connection&, int) {}
    static void lift_growth_limit(connection&) {}

    static std::string independent_url(const engine&, const std::string& url) { return url; }
    static constexpr bool reads_beside_a_writer = true;
    static constexpr bool has_wal = false;
    static void enable_wal(connection&) {}
};

} // namespace tabella::testing
