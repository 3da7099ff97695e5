#include "platforms/progress.h"

#include <cstdio>

#include <unistd.h>

#include <systemc>

#include "traffic/dma_initiator.h"

namespace iommusim {

ProgressLine::ProgressLine(bool enabled) : enabled_(enabled) {
    t0_ = last_ = std::chrono::steady_clock::now();
    if (enabled_) DmaInitiator::set_progress_hook([this] { tick(); });
}

ProgressLine::~ProgressLine() {
    if (!enabled_) return;
    DmaInitiator::set_progress_hook(nullptr);
    if (shown_) {
        std::printf("\r\033[K");
        std::fflush(stdout);
    }
}

bool ProgressLine::stdout_is_terminal() { return isatty(STDOUT_FILENO) == 1; }

void ProgressLine::tick() {
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    const double host = std::chrono::duration<double>(now - t0_).count();
    const uint64_t n = DmaInitiator::total_transactions();
    std::printf("\r\033[K  simulated %.1f us | %llu transactions | %.2f M transactions/s host",
                sc_core::sc_time_stamp().to_seconds() * 1e6, static_cast<unsigned long long>(n),
                host > 0 ? double(n) / host / 1e6 : 0.0);
    std::fflush(stdout);
    shown_ = true;
}

}  // namespace iommusim
