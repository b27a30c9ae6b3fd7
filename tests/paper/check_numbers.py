#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Fails on numbers typed by hand into the paper's LaTeX sources.

Every number the paper reports comes from a macro that the pipeline
generates from the results (results/<name>/tables/*-macros.tex). This check
reads the committed sources and reports each digit that stands in the prose,
and each typed number in mathematics, together with the word "Stub".

Exceptions (what is removed before the check):
  - comments (% to the end of the line);
  - verbatim-like environments (verbatim, lstlisting, minted): code;
  - the arguments of the commands in ARG_COMMANDS (citations, labels and
    references, file names, package options, lengths, code in \\texttt,
    the settings of listings, the scaling of \\resizebox and \\adjustbox);
  - optional arguments [...] right after a command or \\begin{...}, and the
    mandatory arguments of the environments in COLSPEC_ENVS (column specs of
    tabular-like environments, the width of a minipage);
  - in mathematics ($...$, \\(...\\), \\[...\\], equation/align/gather and
    their starred forms): single digits, as in exponents, indices, 1/2 or
    2F_0. A number of two or more digits or with a decimal point in
    mathematics is reported: it is a value, and must come from a macro;
  - \\frac12-style fractions (\\frac, \\tfrac, \\dfrac with two single-digit
    arguments written without braces): the digits are two numbers, not one;
  - the number after a statement name in NUMBERED, written out in the text
    ("Theorem~1", "Theorems~2 and~3"): a label, not a value;
  - a version right after the name of a tool in VERSIONED ("Coq~8.16");
  - the names in NAMES, which contain digits but are not numbers.

Usage: check_numbers.py FILE.tex... ; exit status 1 on a finding, 2 on bad
usage. Prints one line "file:line: text" per finding.
"""
import re
import sys

ARG_COMMANDS = [
    "cite", "citep", "citet", "ref", "eqref", "label", "input", "include",
    "resultinput", "resultfigure", "includegraphics", "usepackage",
    "documentclass", "bibliography", "bibliographystyle", "url", "href",
    "texttt", "hspace", "vspace", "setlength", "newcommand", "renewcommand",
    "multicolumn", "cmidrule", "arraystretch", "lstset", "resizebox", "adjustbox",
]
NAMES = ["CartPole-v1", "HDF5", "MD5", "C17", "float32", "float64", "int32", "int64",
         "x86-64", "AVX-512", "AVX2", "CUDA", "3D", "2D", "1D"]
VERSIONED = ["Coq", "Coquelicot", "Snakemake", "Python", "PyTorch", "Gymnasium", "gnuplot"]
NUMBERED = ["Theorem", "Theorems", "Lemma", "Lemmas", "Corollary", "Definition"]
VERBATIM = ["verbatim", "lstlisting", "minted", "Verbatim"]
MATH_ENVS = ["equation", "align", "gather", "multline", "displaymath", "math"]
COLSPEC_ENVS = ["tabular", "tabularx", "array", "longtable", "minipage"]


def blank(text, start, end):
    """text with [start, end) replaced by spaces, newlines kept."""
    return text[:start] + re.sub(r"[^\n]", " ", text[start:end]) + text[end:]


def strip_comments(text):
    return re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)


def strip_envs(text, names):
    for name in names:
        for n in (name, name + r"\*"):
            pat = re.compile(r"\\begin\{" + n + r"\}.*?\\end\{" + n + r"\}", re.S)
            for m in list(pat.finditer(text)):
                text = blank(text, m.start(), m.end())
    return text


def braced_end(text, i):
    """Index after the group that opens at text[i] ('{' or '['), or -1."""
    open_c = text[i]
    close_c = "}" if open_c == "{" else "]"
    depth = 0
    for j in range(i, len(text)):
        c = text[j]
        if c == "\\":
            continue
        if c == open_c and (j == 0 or text[j - 1] != "\\"):
            depth += 1
        elif c == close_c and text[j - 1] != "\\":
            depth -= 1
            if depth == 0:
                return j + 1
    return -1


def strip_command_args(text):
    names = "|".join(re.escape(c) for c in ARG_COMMANDS)
    pat = re.compile(r"\\(?:" + names + r")\b\*?")
    pos = 0
    while True:
        m = pat.search(text, pos)
        if not m:
            return text
        j = m.end()
        while j < len(text) and text[j] in "[{":
            k = braced_end(text, j)
            if k < 0:
                break
            text = blank(text, j, k)
            j = k
        pos = j


def strip_options(text):
    """[...] right after a command (\\foo[..]) or an environment's begin."""
    pat = re.compile(r"(\\[A-Za-z@]+\*?(?:\{[^{}]*\})?)\[")
    pos = 0
    while True:
        m = pat.search(text, pos)
        if not m:
            return text
        j = m.end() - 1
        k = braced_end(text, j)
        if k < 0:
            return text
        text = blank(text, j, k)
        pos = k


def strip_colspecs(text):
    for env in COLSPEC_ENVS:
        pat = re.compile(r"\\begin\{" + env + r"\*?\}")
        for m in list(pat.finditer(text)):
            j = m.end()
            while j < len(text) and text[j] in " [{":
                if text[j] == " ":
                    j += 1
                    continue
                k = braced_end(text, j)
                if k < 0:
                    break
                text = blank(text, j, k)
                j = k
    return text


def math_spans(text):
    spans = []
    for pat in (r"\$\$.*?\$\$", r"(?<!\\)\$.*?(?<!\\)\$", r"\\\(.*?\\\)", r"\\\[.*?\\\]"):
        for m in re.finditer(pat, text, re.S):
            spans.append((m.start(), m.end()))
    for env in MATH_ENVS:
        for n in (env, env + r"\*"):
            for m in re.finditer(r"\\begin\{" + n + r"\}.*?\\end\{" + n + r"\}", text, re.S):
                spans.append((m.start(), m.end()))
    return spans


def strip_exceptions(text):
    """Blanks the fractions, statement numbers and versions listed above."""
    pats = [
        r"\\[dt]?frac\d\d",
        r"\b(?:" + "|".join(NUMBERED) + r")(?:[~\s]+|~?and~?|,)+\d+(?:(?:[~\s]*(?:,|and)[~\s]*)\d+)*",
        r"\b(?:" + "|".join(VERSIONED) + r")[~\s]+\d+(?:\.\d+)+",
    ]
    for pat in pats:
        for m in list(re.finditer(pat, text)):
            text = blank(text, m.start(), m.end())
    return text


def findings(text):
    """(offset, kind, snippet) for each typed number in the cleaned text."""
    out = []
    spans = math_spans(text)
    inmath = bytearray(len(text))
    for a, b in spans:
        for i in range(a, b):
            inmath[i] = 1
    for name in NAMES:
        text = re.sub(re.escape(name), lambda m: "x" * len(m.group(0)), text)
    for m in re.finditer(r"\d+(?:\.\d+)?", text):
        if inmath[m.start()]:
            if len(m.group(0)) >= 2:
                out.append((m.start(), "number in mathematics", m.group(0)))
        else:
            out.append((m.start(), "digit in prose", m.group(0)))
    for m in re.finditer(r"\bStub\b", text):
        out.append((m.start(), "stub", m.group(0)))
    return out


def check(path):
    with open(path, encoding="utf-8") as f:
        raw = f.read()
    text = strip_comments(raw)
    text = strip_envs(text, VERBATIM)
    text = strip_command_args(text)
    text = strip_colspecs(text)
    text = strip_options(text)
    text = strip_exceptions(text)
    bad = 0
    for off, kind, snip in findings(text):
        line = raw.count("\n", 0, off) + 1
        src = raw.splitlines()[line - 1].strip()
        print(f"{path}:{line}: {kind} '{snip}': {src}")
        bad += 1
    return bad


def main(argv):
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(argv) >= 2 else 2
    bad = sum(check(p) for p in argv[1:])
    if bad:
        print(f"check_numbers: {bad} typed number(s); put them in generated macros")
        return 1
    print(f"check_numbers: {len(argv) - 1} file(s), no typed number")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
