// Timing helpers for loosely-timed models (no threads on the hot path).
//
// A Resource is "busy until t": a request arriving at `at` starts at
// max(at, free) and holds the resource for `hold`. A Pool is N such
// resources (walker slots, IOTLB ports); a request takes the one that frees
// first. Times are in picoseconds (uint64_t), so the pure C++ units need no
// SystemC.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstddef>
#include <vector>

namespace iommusim {

using ps_t = uint64_t;

class Resource {
public:
    // Returns the start time; the resource is held until start + hold.
    ps_t acquire(ps_t at, ps_t hold) {
        const ps_t start = std::max(at, free_);
        free_ = start + hold;
        busy_ += hold;
        return start;
    }
    ps_t free_at() const { return free_; }
    ps_t busy_ps() const { return busy_; }

private:
    ps_t free_ = 0;
    ps_t busy_ = 0;
};

// A resource whose reservations may arrive out of time order, as they do
// from temporally decoupled initiators (each runs ahead of the global time
// by up to a quantum): a request is served in the earliest idle gap of at
// least its length starting at or after its arrival, not after the latest
// reservation made so far. Busy intervals ending at or before `now` (the
// global simulated time: no request can arrive earlier) are forgotten.
class Timeline {
public:
    // Earliest start >= at of an idle gap of `hold`, without booking it.
    ps_t earliest(ps_t at, ps_t hold) const {
        if (hold == 0) return at;
        size_t i = first_after(at);
        if (i > head_ && iv_[i - 1].end > at) at = iv_[i - 1].end;  // arrives while busy
        for (; i < iv_.size() && iv_[i].start < at + hold; ++i) at = iv_[i].end;  // gap too short
        return at;
    }
    // Books [start, end), merged with every interval it overlaps or touches.
    // Intervals are kept sorted in a vector: booking at or after the last one
    // (the common case) extends it or appends, without allocating.
    void book(ps_t start, ps_t end) {
        busy_ += end - start;
        if (end <= start) return;
        size_t i = first_after(start);
        if (i > head_ && iv_[i - 1].end >= start) {  // overlaps or touches the one before: extend it
            Iv& prev = iv_[i - 1];
            if (end > prev.end) prev.end = end;
            size_t j = i;
            while (j < iv_.size() && iv_[j].start <= prev.end) {
                if (iv_[j].end > prev.end) prev.end = iv_[j].end;
                ++j;
            }
            iv_.erase(iv_.begin() + static_cast<std::ptrdiff_t>(i), iv_.begin() + static_cast<std::ptrdiff_t>(j));
            return;
        }
        size_t j = i;
        while (j < iv_.size() && iv_[j].start <= end) {
            if (iv_[j].end > end) end = iv_[j].end;
            ++j;
        }
        if (j > i) {
            iv_[i] = Iv{start, end};
            iv_.erase(iv_.begin() + static_cast<std::ptrdiff_t>(i + 1), iv_.begin() + static_cast<std::ptrdiff_t>(j));
        } else {
            iv_.insert(iv_.begin() + static_cast<std::ptrdiff_t>(i), Iv{start, end});
        }
    }
    void forget_before(ps_t now) {
        while (head_ < iv_.size() && iv_[head_].end <= now) ++head_;
        if (head_ == iv_.size()) {
            iv_.clear();
            head_ = 0;
        } else if (head_ >= 64 && head_ * 2 >= iv_.size()) {
            iv_.erase(iv_.begin(), iv_.begin() + static_cast<std::ptrdiff_t>(head_));
            head_ = 0;
        }
    }
    ps_t acquire(ps_t at, ps_t hold, ps_t now) {
        forget_before(now);
        const ps_t start = earliest(at, hold);
        book(start, start + hold);
        return start;
    }
    ps_t busy_ps() const { return busy_; }
    size_t intervals() const { return iv_.size() - head_; }

private:
    struct Iv {
        ps_t start, end;
    };
    // Index of the first live interval starting after `t`.
    size_t first_after(ps_t t) const {
        if (iv_.size() == head_ || iv_.back().start <= t) return iv_.size();  // the common case
        return static_cast<size_t>(std::upper_bound(iv_.begin() + static_cast<std::ptrdiff_t>(head_), iv_.end(), t,
                                                    [](ps_t v, const Iv& x) { return v < x.start; }) -
                                   iv_.begin());
    }
    std::vector<Iv> iv_;  // sorted by start, disjoint, not touching; [head_, size) are live
    size_t head_ = 0;
    ps_t busy_ = 0;
};

// N identical Timelines (IOTLB ports, page-table walkers): a request goes to
// the member that can start it earliest.
class TimelinePool {
public:
    explicit TimelinePool(unsigned n = 1) : m_(std::max(1u, n)) {}
    unsigned size() const { return static_cast<unsigned>(m_.size()); }

    // Known duration: books the earliest start on any member.
    ps_t acquire(ps_t at, ps_t hold, ps_t now) {
        ps_t start;
        const unsigned i = choose(at, hold, now, start);
        m_[i].book(start, start + hold);
        return start;
    }
    // Duration known only afterwards (a walk, whose memory reads are still to
    // come): the member and start are chosen for the expected duration (the
    // running mean of earlier ones); release() books what it really took.
    unsigned reserve(ps_t at, ps_t now, ps_t& start) { return choose(at, expected_, now, start); }
    void release(unsigned i, ps_t start, ps_t end) {
        m_[i].book(start, end);
        const ps_t d = end - start;
        expected_ = expected_ == 0 ? d : (expected_ * 7 + d) / 8;
    }
    uint64_t waits() const { return waits_; }
    const uint64_t& waits_ref() const { return waits_; }  // for a stats registry
    ps_t busy_ps() const {
        ps_t b = 0;
        for (const Timeline& t : m_) b += t.busy_ps();
        return b;
    }

private:
    unsigned choose(ps_t at, ps_t hold, ps_t now, ps_t& start) {
        unsigned best = 0;
        start = ~ps_t{0};
        for (unsigned i = 0; i < m_.size(); ++i) {
            m_[i].forget_before(now);
            const ps_t s = m_[i].earliest(at, hold);
            if (s < start) {
                start = s;
                best = i;
            }
        }
        if (start > at) waits_++;
        return best;
    }
    std::vector<Timeline> m_;
    ps_t expected_ = 0;
    uint64_t waits_ = 0;
};

class Pool {
public:
    explicit Pool(unsigned n = 1) : free_(std::max(1u, n), 0) {}
    unsigned size() const { return static_cast<unsigned>(free_.size()); }

    // Reserves the earliest free member from `at`; returns its index and the
    // start time. The caller releases it with release(index, start, end) once the
    // duration is known (e.g. a walk whose memory reads are still to come).
    unsigned reserve(ps_t at, ps_t& start) {
        unsigned best = 0;
        for (unsigned i = 1; i < free_.size(); ++i)
            if (free_[i] < free_[best]) best = i;
        start = std::max(at, free_[best]);
        if (start > at) waits_++;
        return best;
    }
    void release(unsigned i, ps_t start, ps_t end) {
        busy_ += end - start;
        free_[i] = end;
    }
    ps_t acquire(ps_t at, ps_t hold) {
        ps_t start;
        unsigned i = reserve(at, start);
        free_[i] = start + hold;
        busy_ += hold;
        return start;
    }
    uint64_t waits() const { return waits_; }
    const uint64_t& waits_ref() const { return waits_; }  // for a stats registry
    ps_t busy_ps() const { return busy_; }

private:
    std::vector<ps_t> free_;
    uint64_t waits_ = 0;
    ps_t busy_ = 0;
};

struct Clock {
    ps_t period_ps = 1000;  // 1 GHz
    ps_t cycles(uint64_t n) const { return n * period_ps; }
};

}  // namespace iommusim
