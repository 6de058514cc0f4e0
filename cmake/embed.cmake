# Writes OUTPUT: a C file defining NAME (the bytes of INPUT, then a NUL) and
# NAME_len, so that a text shipped in assets/ is also built into the binary.
# Usage: cmake -DINPUT=f -DOUTPUT=f.c -DNAME=sym -P embed.cmake
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR bytes "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n" body "${body}")
file(WRITE "${OUTPUT}"
     "/* generated from ${INPUT} by cmake/embed.cmake: do not edit */\n"
     "const char ${NAME}[] = {\n${body}0};\n"
     "const unsigned long ${NAME}_len = ${bytes};\n")
