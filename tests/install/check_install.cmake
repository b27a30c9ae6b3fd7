# cmake -P script of the install test: install BUILD_DIR into PREFIX (emptied
# first), compile EXAMPLE with CC and pkg-config's flags, run it, check its
# output. Fails with a message at the first step that goes wrong.
foreach(v BUILD_DIR PREFIX LIBDIR CC PKG_CONFIG EXAMPLE)
  if(NOT ${v})
    message(FATAL_ERROR "check_install: -D${v}=... is required")
  endif()
endforeach()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_install: ${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

file(REMOVE_RECURSE ${PREFIX})
run("cmake --install" ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${PREFIX})
set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
set(ENV{LD_LIBRARY_PATH} ${PREFIX}/${LIBDIR})
run("pkg-config --cflags --libs infnum" ${PKG_CONFIG} --cflags --libs infnum)
separate_arguments(flags UNIX_COMMAND "${out}")
separate_arguments(cflags UNIX_COMMAND "${CFLAGS}")
run("compiling the example" ${CC} -std=c17 -Wall -Werror -Wno-unused-parameter ${cflags} ${EXAMPLE}
    ${flags} -o ${PREFIX}/ngrad_jumps)
# Every installed public header compiles on its own (CUDA headers aside).
file(GLOB headers RELATIVE ${PREFIX}/include ${PREFIX}/include/infnum/*.h)
list(FILTER headers EXCLUDE REGEX "cuda")
foreach(h ${headers})
  file(WRITE ${PREFIX}/header_check.c "#include <${h}>\nint main(void) { return 0; }\n")
  run("compiling ${h} alone" ${CC} -std=c17 -Wall -Wextra -Werror -fsyntax-only -I${PREFIX}/include
      ${PREFIX}/header_check.c)
endforeach()
run("running the example" ${PREFIX}/ngrad_jumps)
message(STATUS "ngrad_jumps printed:\n${out}")
foreach(line "abs   at 0: ngrad = 1; regular = 0, mass = 0"
             "step  at 0: ngrad = [^;]*\\^\\(?-1\\)?; regular = 0, mass = 1"
             "round at 0.5: ngrad = 0; regular = 0, mass = 1")
  if(NOT out MATCHES "${line}")
    message(FATAL_ERROR "check_install: the output does not match '${line}'")
  endif()
endforeach()
