# Turn a file into a C array: cmake -DIN=file -DNAME=label -DOUT=out.c -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," body "${hex}")
file(WRITE "${OUT}" "#include <stddef.h>\n"
  "const char mriov_default_topology[] = {${body} 0};\n"
  "const size_t mriov_default_topology_len = ${len};\n"
  "const char mriov_default_topology_path[] = \"${NAME}\";\n")
