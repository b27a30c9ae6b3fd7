# SPDX-License-Identifier: MIT
# infnum_add_library(<name> <export-name> <sources>...)
#
# One set of objects (compiled once, position-independent, hidden symbol
# visibility) linked into two libraries:
#   <name>         static  lib<name>.a    (in-tree users, tests)
#   <name>_shared  shared  lib<name>.so.MAJOR, only with INFNUM_SHARED
# Both carry the same usage requirements: the caller adds include directories
# and dependencies with infnum_library_link(<name> ...). Installed and
# exported as infnum::<export-name> (the shared library; the static one
# without INFNUM_SHARED) and, with INFNUM_SHARED, infnum::<export-name>_static
# (the static one); the in-tree aliases are the same names.
# Public headers export their declarations (#pragma GCC visibility
# push(default)); everything else stays internal to the shared library.
function(infnum_add_library name export_name)
  add_library(${name}_objects OBJECT ${ARGN})
  set_target_properties(${name}_objects PROPERTIES
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON)
  add_library(${name} STATIC $<TARGET_OBJECTS:${name}_objects>)
  set(libs ${name})
  if(INFNUM_SHARED)
    add_library(${name}_shared SHARED $<TARGET_OBJECTS:${name}_objects>)
    set_target_properties(${name}_shared PROPERTIES
      OUTPUT_NAME ${name} EXPORT_NAME ${export_name}
      VERSION ${PROJECT_VERSION} SOVERSION ${PROJECT_VERSION_MAJOR})
    # No undefined symbols left for the loader to guess.
    target_link_options(${name}_shared PRIVATE LINKER:--no-undefined)
    set_target_properties(${name} PROPERTIES EXPORT_NAME ${export_name}_static)
    add_library(infnum::${export_name} ALIAS ${name}_shared)
    add_library(infnum::${export_name}_static ALIAS ${name})
    list(APPEND libs ${name}_shared)
  else()
    set_target_properties(${name} PROPERTIES EXPORT_NAME ${export_name})
    add_library(infnum::${export_name} ALIAS ${name})
  endif()
  install(TARGETS ${libs} EXPORT infnumTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endfunction()

# infnum_library_link(<name> [PUBLIC_DIRS dir...] [PRIVATE_DIRS dir...]
#                     [PUBLIC lib...] [PRIVATE lib...] [DEFINITIONS def...])
# Usage requirements of both libraries of infnum_add_library(<name>) and the
# compile settings of their objects. A PUBLIC dependency <dep> that is itself
# an infnum library is linked as <dep>_shared into <name>_shared.
function(infnum_library_link name)
  cmake_parse_arguments(A "" "" "PUBLIC_DIRS;PRIVATE_DIRS;PUBLIC;PRIVATE;DEFINITIONS" ${ARGN})
  set(dirs)
  foreach(d ${A_PUBLIC_DIRS})
    list(APPEND dirs $<BUILD_INTERFACE:${d}>)
  endforeach()
  list(APPEND dirs $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
  target_include_directories(${name}_objects PUBLIC ${dirs} PRIVATE ${A_PRIVATE_DIRS})
  target_compile_definitions(${name}_objects PRIVATE ${A_DEFINITIONS})
  # Objects see the dependencies' headers and compile flags (OpenMP).
  target_link_libraries(${name}_objects PUBLIC ${A_PUBLIC} PRIVATE ${A_PRIVATE})
  target_include_directories(${name} PUBLIC ${dirs})
  target_link_libraries(${name} PUBLIC ${A_PUBLIC} PRIVATE ${A_PRIVATE})
  if(TARGET ${name}_shared)
    set(pub)
    foreach(dep ${A_PUBLIC})
      if(TARGET ${dep}_shared)
        list(APPEND pub ${dep}_shared)
      else()
        list(APPEND pub ${dep})
      endif()
    endforeach()
    target_include_directories(${name}_shared PUBLIC ${dirs})
    target_link_libraries(${name}_shared PUBLIC ${pub} PRIVATE ${A_PRIVATE})
  endif()
endfunction()
