# ctest driver: build a consumer against tabella the way users do, and run it.
# -DMODE=installed   install this build into a prefix, find_package(... COMPONENTS ...)
# -DMODE=subdir      add_subdirectory of the source tree
# -DMODE=shared      build and install tabella as shared libraries from the source tree
# -DMODE=build_tree  find_package against this build directory (its export)
# -DMODE=missing     find_package of a component that does not exist must fail clearly
# -DMODE=pkgconfig   compile with pkg-config --cflags --libs tabella-sqlite tabella-postgres
# Always: -DBUILD_DIR=<tabella build> -DSOURCE_DIR=<consumer source> -DWORK_DIR=<scratch>
#         -DTABELLA_SOURCE=<tabella source> -DGENERATOR=<generator>
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc)
    message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}")
  endif()
endfunction()

function(install_build dir)
  run(${CMAKE_COMMAND} --install ${dir} --prefix ${prefix})
endfunction()

if(MODE STREQUAL "shared")
  run(${CMAKE_COMMAND} -S ${TABELLA_SOURCE} -B ${WORK_DIR}/tabella -G ${GENERATOR}
      -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=ON -DTABELLA_BUILD_TESTS=OFF
      -DTABELLA_BUILD_BENCH=OFF -DTABELLA_BUILD_EXAMPLES=OFF -DTABELLA_INSTALL=ON
      -DTABELLA_WITH_MARIADB=OFF) # the consumer links SQLite and PostgreSQL: a shorter build
  run(${CMAKE_COMMAND} --build ${WORK_DIR}/tabella)
  install_build(${WORK_DIR}/tabella)
  set(extra -DCMAKE_PREFIX_PATH=${prefix})
elseif(MODE STREQUAL "subdir")
  set(extra -DTABELLA_SOURCE_DIR=${TABELLA_SOURCE})
elseif(MODE STREQUAL "build_tree")
  set(extra -Dtabella_DIR=${BUILD_DIR})
else()
  install_build(${BUILD_DIR})
  set(extra -DCMAKE_PREFIX_PATH=${prefix})
endif()

if(MODE STREQUAL "missing")
  execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR}/missing -B ${WORK_DIR}/build
                          -G ${GENERATOR} ${extra}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc)
    message(FATAL_ERROR "find_package(tabella COMPONENTS nosuch) succeeded")
  endif()
  if(NOT out MATCHES "no 'nosuch' component")
    message(FATAL_ERROR "the failure does not name the component:\n${out}")
  endif()
  return()
endif()

if(MODE STREQUAL "pkgconfig")
  set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
  execute_process(COMMAND pkg-config --cflags --libs tabella-sqlite tabella-postgres
                  RESULT_VARIABLE rc OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc)
    message(FATAL_ERROR "pkg-config cannot resolve tabella-sqlite tabella-postgres")
  endif()
  separate_arguments(flags UNIX_COMMAND "${flags}")
  run(c++ -std=c++20 ${SOURCE_DIR}/main.cpp -o ${WORK_DIR}/consumer ${flags})
  run(${WORK_DIR}/consumer)
  return()
endif()

run(${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_BUILD_TYPE=Release ${extra})
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
run(${WORK_DIR}/build/consumer)
