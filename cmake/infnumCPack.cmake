# SPDX-License-Identifier: MIT
# The Debian package of `make release` (cpack -G DEB in a build configured
# with CMAKE_INSTALL_PREFIX=/usr): libraries (shared and static), headers,
# CMake package, pkg-config files, every binary, the documentation and the
# copyright file. Depends come from dpkg-shlibdeps; shlibs and the ldconfig
# trigger from here. Check with: lintian dist/infnum_*.deb
set(INFNUM_MAINTAINER "The infnum authors <infnum@users.noreply.github.com>"
    CACHE STRING "Maintainer field of the Debian package")

# Documentation: /usr/share/doc/infnum/{copyright,changelog.gz,README.md,...}.
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME copyright)
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
file(GLOB _infnum_docs ${PROJECT_SOURCE_DIR}/docs/*.md)
install(FILES ${_infnum_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR}/docs)
# A Debian changelog (native package), compressed as Debian policy wants
# (gzip -9n: no name or time stamp). The date honours SOURCE_DATE_EPOCH.
string(TIMESTAMP _infnum_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${PROJECT_BINARY_DIR}/debian/changelog
"infnum (${PROJECT_VERSION}) unstable; urgency=medium

  * Release ${PROJECT_VERSION}; changes in /usr/share/doc/infnum/CHANGELOG.md.

 -- ${INFNUM_MAINTAINER}  ${_infnum_date}
")
find_program(GZIP gzip)
if(GZIP)
  execute_process(COMMAND ${GZIP} -9nc ${PROJECT_BINARY_DIR}/debian/changelog
                  OUTPUT_FILE ${PROJECT_BINARY_DIR}/debian/changelog.gz)
  install(FILES ${PROJECT_BINARY_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()

set(CPACK_PACKAGE_NAME infnum)
set(CPACK_PACKAGE_VENDOR "The infnum authors")
set(CPACK_PACKAGE_CONTACT "${INFNUM_MAINTAINER}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "non-standard derivatives in the Levi-Civita field")
set(CPACK_PACKAGE_DESCRIPTION
"infnum computes derivatives of programs with discontinuities (step, sign,
round, floor, abs, argmax) in the Levi-Civita field: a C library (shared and
static, with headers, pkg-config files and a CMake package), its training
engine (reverse mode, gradient estimators, MLPs) and the experiment and
report programs of the project.")
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION math)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnuplot") # the tools' plots
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# The shared libraries in /usr/lib need the ldconfig trigger (Debian policy 8.1.1).
file(WRITE ${PROJECT_BINARY_DIR}/debian/triggers "activate-noawait ldconfig\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/triggers)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
