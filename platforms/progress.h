// The progress line of long runs: simulated time, transactions and the host
// rate, rewritten in place about twice a second. Shown only when stdout is a
// terminal (and not with --quiet); never in files or pipes.
#pragma once

#include <chrono>
#include <cstdint>

namespace iommusim {

class ProgressLine {
public:
    // Installs itself as the initiators' progress hook when `enabled`.
    explicit ProgressLine(bool enabled);
    ~ProgressLine();  // clears the line and uninstalls
    // Whether a progress line belongs on this stdout (a terminal).
    static bool stdout_is_terminal();

private:
    void tick();
    bool enabled_;
    bool shown_ = false;
    std::chrono::steady_clock::time_point t0_, last_;
};

}  // namespace iommusim
