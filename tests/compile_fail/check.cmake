# ctest driver: building TARGET must fail, and the output must contain every
# "// expect: <text>" line of SOURCE.  -DBUILD_DIR=... -DTARGET=... -DSOURCE=...
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} --target ${TARGET}
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
string(APPEND out "${err}")
if(rc EQUAL 0)
  message(FATAL_ERROR "${TARGET} compiled, but it must not")
endif()
file(STRINGS ${SOURCE} expectations REGEX "^// expect: ")
if(NOT expectations)
  message(FATAL_ERROR "${SOURCE} has no // expect: lines")
endif()
foreach(line IN LISTS expectations)
  string(REPLACE "// expect: " "" wanted "${line}")
  string(FIND "${out}" "${wanted}" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "the compiler output does not contain '${wanted}':\n${out}")
  endif()
endforeach()
