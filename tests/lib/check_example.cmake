# SPDX-License-Identifier: MIT
# cmake -P script of lib.example_expr_ngrad: the output of EXAMPLE (the
# expression layer) equals that of HAND --hand at the same points (the
# hand-written batch calls), and is not empty.
execute_process(COMMAND ${EXAMPLE} RESULT_VARIABLE rc1 OUTPUT_VARIABLE expr ERROR_VARIABLE err1)
execute_process(COMMAND ${HAND} --hand 0.25 0.5 1 2 RESULT_VARIABLE rc2 OUTPUT_VARIABLE hand ERROR_VARIABLE err2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
  message(FATAL_ERROR "check_example: a program failed (${rc1}, ${rc2}):\n${err1}\n${err2}")
endif()
string(REGEX MATCHALL "ngrad f" lines "${expr}")
list(LENGTH lines n)
if(NOT n EQUAL 4 OR NOT expr STREQUAL hand)
  message(FATAL_ERROR "check_example: the example printed\n${expr}\nthe hand-written calls\n${hand}")
endif()
message(STATUS "expr_ngrad printed (as the hand-written calls):\n${expr}")
