// tabella_bench: inserting students through the session, the Core and the raw client
// libraries, on SQLite and (when built with their drivers) PostgreSQL and MariaDB, in one
// binary so that every ratio is read from one run.
#include "cases.hpp"

#include <benchmark/benchmark.h>

#include <iostream>

int main(int argc, char** argv) {
    using namespace tabella_bench;
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;

    register_raw_sqlite_cases();
    register_orm_cases(backend::sqlite);
    register_core_cases(backend::sqlite);
#ifdef TABELLA_BENCH_WITH_POSTGRES
    register_raw_postgres_cases();
    register_orm_cases(backend::postgres);
    register_core_cases(backend::postgres);
    if (postgres_dsn()) {
        try {
            create_postgres_schema();
        } catch (const std::exception& e) {
            std::cerr << "tabella_bench: cannot prepare PostgreSQL: " << e.what() << '\n';
        }
    }
#else
    std::cerr << "tabella_bench: built without the PostgreSQL driver; PostgreSQL cases not built\n";
#endif
#ifdef TABELLA_BENCH_WITH_MARIADB
    register_raw_mariadb_cases();
    register_orm_cases(backend::mariadb);
    register_core_cases(backend::mariadb);
    if (mariadb_dsn()) {
        try {
            create_mariadb_database();
        } catch (const std::exception& e) {
            std::cerr << "tabella_bench: cannot prepare MariaDB: " << e.what() << '\n';
        }
    }
#else
    std::cerr << "tabella_bench: built without the MariaDB driver; MariaDB cases not built\n";
#endif

    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
#ifdef TABELLA_BENCH_WITH_POSTGRES
    drop_postgres_schema();
#endif
#ifdef TABELLA_BENCH_WITH_MARIADB
    drop_mariadb_database();
#endif
    return 0;
}
