# tabella_set_warnings(<target>): the warning set every tabella target builds with.
function(tabella_set_warnings target)
  if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion
                                             -Wno-sign-conversion -Wnon-virtual-dtor)
  endif()
endfunction()
