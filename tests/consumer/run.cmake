# ctest driver: install tabella into a prefix, build the consumer against it, run it.
# -DBUILD_DIR=<tabella build> -DSOURCE_DIR=<consumer source> -DWORK_DIR=<scratch>
# [-DADD_SUBDIRECTORY=<tabella source>] [-DGENERATOR=Ninja]
file(REMOVE_RECURSE ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
if(NOT ADD_SUBDIRECTORY)
  execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                  RESULT_VARIABLE rc OUTPUT_QUIET)
  if(rc)
    message(FATAL_ERROR "cmake --install failed: ${rc}")
  endif()
  set(extra -DCMAKE_PREFIX_PATH=${prefix})
else()
  set(extra -DTABELLA_SOURCE_DIR=${ADD_SUBDIRECTORY})
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
                        -DCMAKE_BUILD_TYPE=Release ${extra}
                RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${WORK_DIR}/build/consumer RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "the consumer program failed")
endif()
