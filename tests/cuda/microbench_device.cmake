# SPDX-License-Identifier: MIT
# infnum-microbench --device cuda (run by CTest: cmake -DBIN=... -DOUT=... -P this).
# Without a GPU: exit status 1, the library's "no CUDA device" message on
# stderr, and no result file (nor a temporary one) left behind. With a GPU:
# exit status 0 and the result file.
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
file(WRITE "${OUT}/p.json" "{\"ops\":[\"add\",\"recip\"],\"batch_sizes\":[10],\"terms\":[2],\"ctypes\":[\"f64\"],\"etypes\":[\"i32\"],\"reps\":1,\"work\":20}\n")
execute_process(COMMAND "${BIN}" --params "${OUT}/p.json" --device cuda --quiet --out "${OUT}/r.h5"
                RESULT_VARIABLE rc ERROR_VARIABLE err OUTPUT_VARIABLE out)
file(GLOB left "${OUT}/r.h5*")
if(rc EQUAL 0)
  if(NOT EXISTS "${OUT}/r.h5")
    message(FATAL_ERROR "exit 0 but no result file")
  endif()
  message(STATUS "a CUDA device is present: result written")
elseif(rc EQUAL 1)
  string(FIND "${err}" "no CUDA device" pos)
  if(pos EQUAL -1)
    message(FATAL_ERROR "exit 1 without the \"no CUDA device\" message: ${err}")
  endif()
  if(left)
    message(FATAL_ERROR "files left after the failure: ${left}")
  endif()
  message(STATUS "no CUDA device: exit 1, message and no file, as expected: ${err}")
else()
  message(FATAL_ERROR "unexpected exit status ${rc}: ${err}")
endif()
