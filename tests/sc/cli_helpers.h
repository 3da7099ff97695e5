// Helpers for tests that run the iommusim binary (IOMMUSIM_BIN): a fresh
// temporary directory and a run that captures exit code and output.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

namespace iommusim::test {

inline std::filesystem::path temp_dir(const std::string& name) {
    namespace fs = std::filesystem;
    fs::path d = fs::temp_directory_path() / ("iommusim-test-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

struct RunResult {
    int code;
    std::string out;  // stdout and stderr
};

// Runs `iommusim ARGS` (from the shell, inside `dir`), output logged in dir.
inline RunResult run_iommusim(const std::string& args, const std::filesystem::path& dir) {
    const std::filesystem::path log = dir / "log.txt";
    const std::string cmd =
        "cd '" + dir.string() + "' && " + std::string(IOMMUSIM_BIN) + " " + args + " >" + log.string() + " 2>&1";
    const int st = std::system(cmd.c_str());
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, ss.str()};
}

// Runs a shell command; exit code and combined output.
inline RunResult run_shell(const std::string& cmd, const std::filesystem::path& dir) {
    const std::filesystem::path log = dir / "shell.txt";
    const int st = std::system(("cd '" + dir.string() + "' && (" + cmd + ") >" + log.string() + " 2>&1").c_str());
    std::ifstream in(log);
    std::stringstream ss;
    ss << in.rdbuf();
    return {WIFEXITED(st) ? WEXITSTATUS(st) : -1, ss.str()};
}

// A CSV file as rows of cells (no quoting: the files tests read have none).
inline std::vector<std::vector<std::string>> read_csv(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::stringstream ss(line);
        std::string c;
        while (std::getline(ss, c, ',')) cells.push_back(c);
        rows.push_back(cells);
    }
    return rows;
}

}  // namespace iommusim::test
