# tabella_find_client_library(<name> LABEL <label> MODULE <pkg-config module>
#                             PREFIX <variable prefix> PACKAGE <Debian package>):
# resolves TABELLA_WITH_<NAME> (AUTO, ON, OFF) to TABELLA_HAS_<NAME> for a driver whose
# client library pkg-config finds. AUTO builds the driver when the module is found, ON
# requires it, OFF never builds it. Defines the imported target PkgConfig::<PREFIX>
# (GLOBAL, so every directory can link it); a driver left out is recorded in the global
# property TABELLA_SKIPPED_DRIVERS (its header is then neither checked nor installed).
function(tabella_find_client_library name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "LABEL;MODULE;PREFIX;PACKAGE" "")
  string(TOUPPER ${name} upper)
  set(option TABELLA_WITH_${upper})
  set(${option} AUTO CACHE STRING "Build the ${arg_LABEL} driver (AUTO, ON, OFF)")
  set_property(CACHE ${option} PROPERTY STRINGS AUTO ON OFF)
  string(TOUPPER "${${option}}" mode)
  set(TABELLA_HAS_${upper} OFF PARENT_SCOPE)
  if(mode STREQUAL "AUTO")
    set(required OFF)
  elseif(mode MATCHES "^(ON|TRUE|YES|Y|1)$")
    set(required ON)
  elseif(mode MATCHES "^(OFF|FALSE|NO|N|0|)$")
    set_property(GLOBAL APPEND PROPERTY TABELLA_SKIPPED_DRIVERS ${name})
    message(STATUS "tabella: ${arg_LABEL} driver disabled (${option}=OFF)")
    return()
  else()
    message(FATAL_ERROR "${option} must be AUTO, ON or OFF, not '${${option}}'")
  endif()

  find_package(PkgConfig QUIET)
  if(PkgConfig_FOUND)
    pkg_check_modules(${arg_PREFIX} QUIET IMPORTED_TARGET GLOBAL ${arg_MODULE})
  endif()
  if(${arg_PREFIX}_FOUND)
    set(TABELLA_HAS_${upper} ON PARENT_SCOPE)
    message(STATUS "tabella: ${arg_LABEL} driver enabled (${arg_MODULE} ${${arg_PREFIX}_VERSION})")
  elseif(required)
    message(FATAL_ERROR "${option}=ON but pkg-config cannot find ${arg_MODULE} "
                        "(install ${arg_PACKAGE}, or configure with -D${option}=OFF)")
  else()
    set_property(GLOBAL APPEND PROPERTY TABELLA_SKIPPED_DRIVERS ${name})
    message(STATUS "tabella: ${arg_MODULE} not found, building without the ${arg_LABEL} driver")
  endif()
endfunction()
