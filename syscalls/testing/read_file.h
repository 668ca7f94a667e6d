// Test helper: a whole file (a test's data dependency) as bytes.
#ifndef FUTURA_SYSCALLS_TESTING_READ_FILE_H
#define FUTURA_SYSCALLS_TESTING_READ_FILE_H

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace fut_testing
{

// The userland programs the exec tests load, relative to the runfiles root
// (a test's working directory).
constexpr char kHelloExec[] = "userland/hello/hello";
constexpr char kHelloPie[] = "userland/hello/hello_pie";

// The file's bytes; empty if it cannot be read.
inline std::vector<uint8_t> ReadFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
}

} // namespace fut_testing

#endif
