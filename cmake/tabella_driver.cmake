# tabella_add_driver(<name> SOURCES ... [LINK ...] [PACKAGE_DEPENDENCY <cmake code>]
#                    [PKG_CONFIG_REQUIRES <module>]): the driver component tabella::<name>,
# library tabella_<name>, from one folder of src/. It links Core + ORM publicly and its
# client library privately, exports symbols with TABELLA_<NAME>_EXPORT (generated
# tabella/<name>_export.hpp), and defines TABELLA_LINK_<NAME> for the code that links it,
# so that create_engine registers it by a plain call (tabella/linked_drivers.hpp). The
# folder's public header is include/tabella/<name>.hpp.
include(GenerateExportHeader)

function(tabella_add_driver name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "PACKAGE_DEPENDENCY;PKG_CONFIG_REQUIRES" "SOURCES;LINK")
  string(TOUPPER ${name} upper)
  set(target tabella_${name})
  add_library(${target} ${arg_SOURCES})
  add_library(tabella::${name} ALIAS ${target})
  target_link_libraries(${target} PUBLIC tabella PRIVATE ${arg_LINK})
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src/include)
  target_compile_definitions(${target} INTERFACE TABELLA_LINK_${upper})
  tabella_library_properties(${target} ${name})
  generate_export_header(${target}
    BASE_NAME tabella_${name}
    EXPORT_MACRO_NAME TABELLA_${upper}_EXPORT
    EXPORT_FILE_NAME ${PROJECT_BINARY_DIR}/include/tabella/${name}_export.hpp
    STATIC_DEFINE TABELLA_STATIC)
  tabella_set_warnings(${target})
  set_property(GLOBAL APPEND PROPERTY TABELLA_DRIVERS ${name})
  # What tabellaConfig.cmake runs for a static driver (its client library is linked into
  # the consumer), and what its pkg-config file requires privately.
  set_property(GLOBAL PROPERTY TABELLA_DRIVER_DEPENDENCY_${name} "${arg_PACKAGE_DEPENDENCY}")
  set_property(GLOBAL PROPERTY TABELLA_DRIVER_PC_REQUIRES_${name} "${arg_PKG_CONFIG_REQUIRES}")
endfunction()

# tabella_library_properties(<target> <export name>): what every tabella library shares:
# hidden symbols but those exported, version and SONAME, position-independent code.
function(tabella_library_properties target export_name)
  set_target_properties(${target} PROPERTIES
    EXPORT_NAME ${export_name}
    OUTPUT_NAME ${target}
    VERSION ${PROJECT_VERSION}
    SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  get_target_property(type ${target} TYPE)
  if(type STREQUAL "STATIC_LIBRARY")
    # The export macros expand to nothing for a static library (users compile with it).
    target_compile_definitions(${target} PUBLIC TABELLA_STATIC)
  endif()
endfunction()

# tabella_write_linked_drivers(): tabella/linked_drivers.hpp from the drivers added, so
# that a new driver folder needs no edit to Core.
function(tabella_write_linked_drivers)
  get_property(drivers GLOBAL PROPERTY TABELLA_DRIVERS)
  set(TABELLA_DRIVER_INCLUDES "")
  set(TABELLA_DRIVER_CALLS "")
  foreach(name IN LISTS drivers)
    string(TOUPPER ${name} upper)
    string(APPEND TABELLA_DRIVER_INCLUDES
           "#if defined(TABELLA_LINK_${upper})\n#include \"tabella/${name}.hpp\"\n#endif\n")
    string(APPEND TABELLA_DRIVER_CALLS
           "#if defined(TABELLA_LINK_${upper})\n    ${name}::register_driver();\n#endif\n")
  endforeach()
  configure_file(${PROJECT_SOURCE_DIR}/cmake/linked_drivers.hpp.in
                 ${PROJECT_BINARY_DIR}/include/tabella/linked_drivers.hpp @ONLY)
endfunction()
