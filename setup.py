"""Build of the optional C scanner of CSV bytes (``socle.io._scanner``); everything else is in
pyproject.toml. Without a C compiler the extension is skipped and Socle uses its numpy scanner."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "socle.io._scanner",
            sources=["src/socle/io/_scanner.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
