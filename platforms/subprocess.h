// Child processes of the iommusim binary (sweep points, the bypass baseline
// of --compare-bypass): SystemC cannot elaborate twice in one process.
#pragma once

#include <string>
#include <vector>

#include <sys/types.h>

namespace iommusim {

// Starts `exe` with `args` (argv[1..]; no shell), stdin from /dev/null,
// stdout and stderr into `log`. Returns the pid, or -1 with `err` set.
pid_t spawn_logged(const std::string& exe, const std::vector<std::string>& args, const std::string& log,
                   std::string& err);

// Waits for `pid`; its exit code, or 128 + signal when it was killed.
int wait_exit(pid_t pid);

}  // namespace iommusim
