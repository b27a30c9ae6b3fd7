# SPDX-License-Identifier: MIT
"""setuptools entry point: builds the cffi extension infnum._lib (infnum/_build.py)."""
from setuptools import setup
from setuptools.command.build_ext import build_ext


class BuildExt(build_ext):
    """Keeps the objects of the C sources of the enclosing tree (named
    ../lib/src/*.c) inside the build directory."""

    def build_extension(self, ext):
        names = self.compiler.object_filenames

        def inside(sources, strip_dir=0, output_dir=""):
            return names([s.replace("../", "up/") for s in sources], strip_dir, output_dir)

        self.compiler.object_filenames = inside
        super().build_extension(ext)


setup(cffi_modules=["infnum/_build.py:ffibuilder"], cmdclass={"build_ext": BuildExt})
