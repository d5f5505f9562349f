# Resolves TABELLA_WITH_POSTGRES (AUTO, ON, OFF) to TABELLA_HAS_POSTGRES: AUTO builds the
# PostgreSQL driver when pkg-config finds libpqxx, ON requires it, OFF never builds it.
# Defines the imported target PkgConfig::PQXX (GLOBAL, so every directory can link it).
string(TOUPPER "${TABELLA_WITH_POSTGRES}" tabella_pg_mode)
if(tabella_pg_mode STREQUAL "AUTO")
  set(tabella_pg_required OFF)
elseif(TABELLA_WITH_POSTGRES) # ON, TRUE, YES, 1
  set(tabella_pg_required ON)
elseif(tabella_pg_mode MATCHES "^(OFF|FALSE|NO|0|)$")
  set(TABELLA_HAS_POSTGRES OFF)
  message(STATUS "tabella: PostgreSQL driver disabled (TABELLA_WITH_POSTGRES=OFF)")
  return()
else()
  message(FATAL_ERROR "TABELLA_WITH_POSTGRES must be AUTO, ON or OFF, not '${TABELLA_WITH_POSTGRES}'")
endif()

set(TABELLA_HAS_POSTGRES OFF)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(PQXX QUIET IMPORTED_TARGET GLOBAL libpqxx)
endif()
if(PQXX_FOUND)
  set(TABELLA_HAS_POSTGRES ON)
  message(STATUS "tabella: PostgreSQL driver enabled (libpqxx ${PQXX_VERSION})")
elseif(tabella_pg_required)
  message(FATAL_ERROR "TABELLA_WITH_POSTGRES=ON but pkg-config cannot find libpqxx "
                      "(install libpqxx-dev, or configure with -DTABELLA_WITH_POSTGRES=OFF)")
else()
  message(STATUS "tabella: libpqxx not found, building without the PostgreSQL driver")
endif()
