# Install rules, the package config with one component per driver, pkg-config files, and
# the same package config in the build tree (find_package with tabella_DIR=<build>).
include(CMakePackageConfigHelpers)

get_property(tabella_drivers GLOBAL PROPERTY TABELLA_DRIVERS)
set(tabella_installed_targets tabella)
set(TABELLA_DRIVER_DEPENDENCIES "")
foreach(name IN LISTS tabella_drivers)
  list(APPEND tabella_installed_targets tabella_${name})
  get_property(dependency GLOBAL PROPERTY TABELLA_DRIVER_DEPENDENCY_${name})
  string(APPEND TABELLA_DRIVER_DEPENDENCIES "  if(TARGET tabella::${name})\n    ${dependency}\n  endif()\n")
endforeach()
set(TABELLA_BUILT_DRIVERS "${tabella_drivers}")
get_target_property(tabella_type tabella TYPE)
set(TABELLA_STATIC_BUILD OFF)
if(tabella_type STREQUAL "STATIC_LIBRARY")
  set(TABELLA_STATIC_BUILD ON)
endif()

install(TARGETS ${tabella_installed_targets} EXPORT tabellaTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# Public headers only: src/include (the driver boundary, echo...) stays internal, and so do
# the headers of drivers this build left out (they could not compile without them).
get_property(tabella_skipped_drivers GLOBAL PROPERTY TABELLA_SKIPPED_DRIVERS)
set(tabella_header_excludes)
foreach(name IN LISTS tabella_skipped_drivers)
  list(APPEND tabella_header_excludes PATTERN "${name}.hpp" EXCLUDE)
endforeach()
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/tabella DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        ${tabella_header_excludes})
install(DIRECTORY ${PROJECT_BINARY_DIR}/include/tabella DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(TABELLA_CONFIG_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/tabella)
install(EXPORT tabellaTargets NAMESPACE tabella:: DESTINATION ${TABELLA_CONFIG_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tabellaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install/tabellaConfig.cmake INSTALL_DESTINATION ${TABELLA_CONFIG_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/tabellaConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install/tabellaConfig.cmake
              ${PROJECT_BINARY_DIR}/tabellaConfigVersion.cmake
        DESTINATION ${TABELLA_CONFIG_DIR})

# The build tree as a package: find_package(tabella) with tabella_DIR=<build dir>.
export(EXPORT tabellaTargets NAMESPACE tabella:: FILE ${PROJECT_BINARY_DIR}/tabellaTargets.cmake)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/tabellaConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tabellaConfig.cmake INSTALL_DESTINATION ${PROJECT_BINARY_DIR}
  INSTALL_PREFIX ${PROJECT_BINARY_DIR})

# pkg-config: tabella, and tabella-<driver> per component; relocatable (the prefix is
# found from the .pc file's own directory).
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(TABELLA_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH tabella_pc_up /root/${CMAKE_INSTALL_LIBDIR}/pkgconfig /root)
  set(TABELLA_PC_PREFIX "\${pcfiledir}/${tabella_pc_up}")
endif()

set(TABELLA_PC_CFLAGS "")
if(TABELLA_STATIC_BUILD)
  set(TABELLA_PC_CFLAGS " -DTABELLA_STATIC")
endif()
configure_file(${PROJECT_SOURCE_DIR}/cmake/tabella.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/tabella.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/tabella.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
foreach(name IN LISTS tabella_drivers)
  string(TOUPPER ${name} TABELLA_PC_DRIVER_UPPER)
  set(TABELLA_PC_DRIVER ${name})
  get_property(requires GLOBAL PROPERTY TABELLA_DRIVER_PC_REQUIRES_${name})
  # A static driver's client library is a link dependency of its users (Requires), a
  # shared one's is not (Requires.private).
  if(TABELLA_STATIC_BUILD)
    set(TABELLA_PC_PUBLIC_REQUIRES ", ${requires}")
    set(TABELLA_PC_PRIVATE_REQUIRES "")
  else()
    set(TABELLA_PC_PUBLIC_REQUIRES "")
    set(TABELLA_PC_PRIVATE_REQUIRES "${requires}")
  endif()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/tabella-driver.pc.in
                 ${PROJECT_BINARY_DIR}/pkgconfig/tabella-${name}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/tabella-${name}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
