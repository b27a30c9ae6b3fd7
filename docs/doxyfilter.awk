# SPDX-License-Identifier: MIT
# Doxygen input filter (docs/Doxyfile): the headers' contract comments are
# plain C comments; this turns them into documentation comments on the fly,
# leaving the sources as they are.
#  - a comment that starts a line documents what follows (/* -> /**); the
#    first one of a file documents the file (\file);
#  - a comment after code on its line documents that member (/* -> /**<);
#  - section rules ("/* ---- name */") and license lines stay plain comments;
#  - inside documentation, characters Doxygen would read as markup
#    (\ @ < > & # $ %) are escaped, so the text appears as written.
function esc(s) {
    gsub(/\\/, "\\\\", s)
    gsub(/@/, "\\@", s); gsub(/</, "\\<", s); gsub(/>/, "\\>", s); gsub(/&/, "\\&", s)
    gsub(/#/, "\\#", s); gsub(/\$/, "\\$", s); gsub(/%/, "\\%", s)
    return s
}
# Text of a documentation comment up to and including its end, escaped.
function body(s,   i) {
    i = index(s, "*/")
    if (i) { indoc = 0; return esc(substr(s, 1, i - 1)) substr(s, i) }
    indoc = 1
    return esc(s)
}
BEGIN { indoc = 0; inplain = 0; first = 1 }
{
    line = $0
    if (indoc) { print body(line); next }
    if (inplain) { if (index(line, "*/")) inplain = 0; print line; next }
    p = index(line, "/*")
    if (!p || substr(line, p + 2, 1) ~ /[*!]/) { print line; next }
    lead = substr(line, 1, p - 1)
    rest = substr(line, p + 2)
    if (rest ~ /^ *-+/ || rest ~ /^ *SPDX-License-Identifier/) {
        if (!index(rest, "*/")) inplain = 1
        print line
        next
    }
    if (lead ~ /^[ \t]*$/) {
        tag = first ? " \\file" : ""
        first = 0
        print lead "/**" tag body(rest)
    } else {
        print lead "/**<" body(rest)
    }
}
