# SPDX-License-Identifier: MIT
# The installed package: pkg-config files (infnum_pkgconfig) and the CMake
# package infnumConfig.cmake + infnumConfigVersion.cmake + infnumTargets
# (infnum_install_package, called once at the end of the top-level list).

# infnum_pkgconfig(<library> <pc-name> <description> <requires> <requires.private> <libs.private>)
# Writes and installs <pc-name>.pc for -l<library>. Relocatable: paths are
# relative to the .pc file itself (${pcfiledir}), so `cmake --install <build>
# --prefix P` works for any P. `pkg-config --libs` links the shared library;
# `pkg-config --static --libs` the static one with its private dependencies.
function(infnum_pkgconfig lib pcname description requires requires_private libs_private)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}" OR IS_ABSOLUTE "${CMAKE_INSTALL_INCLUDEDIR}")
    set(INFNUM_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
    set(INFNUM_PC_LIBDIR "${CMAKE_INSTALL_FULL_LIBDIR}")
    set(INFNUM_PC_INCLUDEDIR "${CMAKE_INSTALL_FULL_INCLUDEDIR}")
  else()
    file(RELATIVE_PATH up "/r/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/r")
    string(REGEX REPLACE "/$" "" up "${up}")
    set(INFNUM_PC_PREFIX "\${pcfiledir}/${up}")
    set(INFNUM_PC_LIBDIR "\${prefix}/${CMAKE_INSTALL_LIBDIR}")
    set(INFNUM_PC_INCLUDEDIR "\${prefix}/${CMAKE_INSTALL_INCLUDEDIR}")
  endif()
  if(INFNUM_SANITIZE)
    string(APPEND libs_private " -fsanitize=address,undefined")
  endif()
  set(INFNUM_PC_NAME ${pcname})
  set(INFNUM_PC_DESCRIPTION "${description}")
  set(INFNUM_PC_REQUIRES "${requires}")
  set(INFNUM_PC_REQUIRES_PRIVATE "${requires_private}")
  set(INFNUM_PC_LIB ${lib})
  set(INFNUM_PC_LIBS_PRIVATE "${libs_private}")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/infnum.pc.in ${PROJECT_BINARY_DIR}/pkgconfig/${pcname}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/pkgconfig/${pcname}.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endfunction()

# infnum_install_package(): find_package(infnum CONFIG) for the installed tree.
function(infnum_install_package)
  include(CMakePackageConfigHelpers)
  set(dir ${CMAKE_INSTALL_LIBDIR}/cmake/infnum)
  install(EXPORT infnumTargets NAMESPACE infnum:: DESTINATION ${dir} FILE infnumTargets.cmake)
  # What the static libraries' link interfaces need from the consumer side.
  set(INFNUM_CONFIG_OPENMP ${OpenMP_C_FOUND})
  set(INFNUM_CONFIG_CBLAS ${INFNUM_ENGINE_CBLAS})
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/infnumConfig.cmake.in
    ${PROJECT_BINARY_DIR}/cmake/infnumConfig.cmake INSTALL_DESTINATION ${dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/cmake/infnumConfigVersion.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/cmake/infnumConfig.cmake
                ${PROJECT_BINARY_DIR}/cmake/infnumConfigVersion.cmake DESTINATION ${dir})
endfunction()
