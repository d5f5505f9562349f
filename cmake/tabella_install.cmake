# Install rules and the package config that makes find_package(tabella) work.
include(CMakePackageConfigHelpers)

set(tabella_installed_targets tabella)
if(TABELLA_HAS_POSTGRES)
  list(APPEND tabella_installed_targets tabella_postgres) # tabella::postgres
endif()
if(TABELLA_HAS_MARIADB)
  list(APPEND tabella_installed_targets tabella_mariadb) # tabella::mariadb
endif()
install(TARGETS ${tabella_installed_targets} EXPORT tabellaTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tabella DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(TABELLA_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tabella)
install(EXPORT tabellaTargets NAMESPACE tabella:: DESTINATION ${TABELLA_CONFIG_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tabellaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tabellaConfig.cmake INSTALL_DESTINATION ${TABELLA_CONFIG_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tabellaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
if(TABELLA_HAS_POSTGRES) # a shared tabella_postgres: see src/postgres/CMakeLists.txt
  get_target_property(tabella_pg_type tabella_postgres TYPE)
  if(tabella_pg_type STREQUAL "SHARED_LIBRARY")
    install(FILES ${PROJECT_SOURCE_DIR}/src/postgres/postgres_link_anchor.cpp
            DESTINATION ${TABELLA_CONFIG_DIR})
  endif()
endif()
if(TABELLA_HAS_MARIADB) # the same for a shared tabella_mariadb
  get_target_property(tabella_mariadb_type tabella_mariadb TYPE)
  if(tabella_mariadb_type STREQUAL "SHARED_LIBRARY")
    install(FILES ${PROJECT_SOURCE_DIR}/src/mariadb/mariadb_link_anchor.cpp
            DESTINATION ${TABELLA_CONFIG_DIR})
  endif()
endif()
install(FILES ${PROJECT_BINARY_DIR}/tabellaConfig.cmake
              ${PROJECT_BINARY_DIR}/tabellaConfigVersion.cmake
        DESTINATION ${TABELLA_CONFIG_DIR})
