# Resolves TABELLA_WITH_MARIADB (AUTO, ON, OFF) to TABELLA_HAS_MARIADB: AUTO builds the
# MariaDB driver when pkg-config finds libmariadb (Connector/C), ON requires it, OFF never
# builds it.
# Defines the imported target PkgConfig::MARIADB (GLOBAL, so every directory can link it).
string(TOUPPER "${TABELLA_WITH_MARIADB}" tabella_mariadb_mode)
if(tabella_mariadb_mode STREQUAL "AUTO")
  set(tabella_mariadb_required OFF)
elseif(tabella_mariadb_mode MATCHES "^(ON|TRUE|YES|Y|1)$")
  set(tabella_mariadb_required ON)
elseif(tabella_mariadb_mode MATCHES "^(OFF|FALSE|NO|N|0|)$")
  set(TABELLA_HAS_MARIADB OFF)
  set_property(GLOBAL APPEND PROPERTY TABELLA_SKIPPED_DRIVERS mariadb)
  message(STATUS "tabella: MariaDB driver disabled (TABELLA_WITH_MARIADB=OFF)")
  return()
else()
  message(FATAL_ERROR "TABELLA_WITH_MARIADB must be AUTO, ON or OFF, not '${TABELLA_WITH_MARIADB}'")
endif()

set(TABELLA_HAS_MARIADB OFF)
find_package(PkgConfig QUIET)
if(PkgConfig_FOUND)
  pkg_check_modules(MARIADB QUIET IMPORTED_TARGET GLOBAL libmariadb)
endif()
if(MARIADB_FOUND)
  set(TABELLA_HAS_MARIADB ON)
  message(STATUS "tabella: MariaDB driver enabled (Connector/C ${MARIADB_VERSION})")
elseif(tabella_mariadb_required)
  message(FATAL_ERROR "TABELLA_WITH_MARIADB=ON but pkg-config cannot find libmariadb "
                      "(install libmariadb-dev, or configure with -DTABELLA_WITH_MARIADB=OFF)")
else()
  set_property(GLOBAL APPEND PROPERTY TABELLA_SKIPPED_DRIVERS mariadb)
  message(STATUS "tabella: libmariadb not found, building without the MariaDB driver")
endif()
