# SPDX-License-Identifier: MIT
# cmake -P script of the install tests: install BUILD_DIR into PREFIX
# (emptied first), then build EXAMPLE with a fresh project against the
# installed package and run what it built:
#   MODE=cmake      tests/install/cmake_project (find_package(infnum CONFIG))
#   MODE=pkgconfig  tests/install/make_project (make + pkg-config)
# Both build a shared and a static executable; each must print the expected
# lines, the shared one must load libinfnum.so from PREFIX. Every installed
# public header must compile on its own. Fails at the first step that goes wrong.
foreach(v MODE BUILD_DIR PREFIX LIBDIR CC EXAMPLE PROJECTS)
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
set(work ${PREFIX}/consumer)
if(MODE STREQUAL "cmake")
  run("configuring the find_package project" ${CMAKE_COMMAND} -S ${PROJECTS}/cmake_project -B ${work}
      -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${CC} "-DCMAKE_C_FLAGS=${CFLAGS}"
      -DEXAMPLE=${EXAMPLE})
  if(NOT EXISTS ${PREFIX}/${LIBDIR}/cmake/infnum/infnumConfigVersion.cmake)
    message(FATAL_ERROR "check_install: no infnumConfigVersion.cmake installed")
  endif()
  run("building the find_package project" ${CMAKE_COMMAND} --build ${work})
elseif(MODE STREQUAL "pkgconfig")
  find_program(MAKE_PROGRAM NAMES make gmake REQUIRED)
  file(COPY ${PROJECTS}/make_project/ DESTINATION ${work})
  set(ENV{PKG_CONFIG_PATH} ${PREFIX}/${LIBDIR}/pkgconfig)
  run("pkg-config --cflags --libs infnum" ${PKG_CONFIG} --cflags --libs infnum infnum-engine)
  run("building the pkg-config project" ${MAKE_PROGRAM} -C ${work} CC=${CC} "CFLAGS=-O2 ${CFLAGS}"
      PKG_CONFIG=${PKG_CONFIG} EXAMPLE=${EXAMPLE})
  set(ENV{LD_LIBRARY_PATH} ${PREFIX}/${LIBDIR})
else()
  message(FATAL_ERROR "check_install: MODE must be cmake or pkgconfig")
endif()

# Every installed public header compiles on its own (CUDA headers aside).
file(GLOB headers RELATIVE ${PREFIX}/include ${PREFIX}/include/infnum/*.h)
list(FILTER headers EXCLUDE REGEX "cuda")
foreach(h ${headers})
  file(WRITE ${PREFIX}/header_check.c "#include <${h}>\nint main(void) { return 0; }\n")
  run("compiling ${h} alone" ${CC} -std=c17 -Wall -Wextra -Werror -fsyntax-only -I${PREFIX}/include
      ${PREFIX}/header_check.c)
endforeach()

find_program(LDD ldd)
foreach(exe ngrad_jumps ngrad_jumps_static)
  run("running ${exe}" ${work}/${exe})
  message(STATUS "${exe} printed:\n${out}")
  foreach(line "abs   at 0: ngrad = 1; regular = 0, mass = 0"
               "step  at 0: ngrad = [^;]*\\^\\(?-1\\)?; regular = 0, mass = 1"
               "round at 0.5: ngrad = 0; regular = 0, mass = 1")
    if(NOT out MATCHES "${line}")
      message(FATAL_ERROR "check_install: the output of ${exe} does not match '${line}'")
    endif()
  endforeach()
  if(LDD)
    run("ldd ${exe}" ${LDD} ${work}/${exe})
    string(FIND "${out}" "${PREFIX}/${LIBDIR}/libinfnum.so.0" at)
    if(exe STREQUAL "ngrad_jumps" AND at EQUAL -1)
      message(FATAL_ERROR "check_install: ${exe} does not load the installed libinfnum.so.0:\n${out}")
    elseif(exe STREQUAL "ngrad_jumps_static" AND NOT out MATCHES "libinfnum\\.so")
      message(STATUS "${exe}: linked statically")
    elseif(exe STREQUAL "ngrad_jumps_static")
      message(FATAL_ERROR "check_install: ${exe} loads libinfnum.so:\n${out}")
    endif()
  endif()
endforeach()
