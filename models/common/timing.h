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
#include <iterator>
#include <map>
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
        auto it = busy_iv_.upper_bound(at);  // first interval starting after `at`
        if (it != busy_iv_.begin()) {
            auto prev = std::prev(it);
            if (prev->second > at) at = prev->second;  // arrives while busy
        }
        while (it != busy_iv_.end() && it->first < at + hold) {  // the gap before `it` is too short
            at = it->second;
            ++it;
        }
        return at;
    }
    // Books [start, end), merged with every interval it overlaps or touches.
    void book(ps_t start, ps_t end) {
        busy_ += end - start;
        if (end <= start) return;
        auto it = busy_iv_.upper_bound(start);
        if (it != busy_iv_.begin() && std::prev(it)->second >= start) --it;
        while (it != busy_iv_.end() && it->first <= end) {
            start = std::min(start, it->first);
            end = std::max(end, it->second);
            it = busy_iv_.erase(it);
        }
        busy_iv_.emplace_hint(it, start, end);
    }
    void forget_before(ps_t now) {
        while (!busy_iv_.empty() && busy_iv_.begin()->second <= now) busy_iv_.erase(busy_iv_.begin());
    }
    ps_t acquire(ps_t at, ps_t hold, ps_t now) {
        forget_before(now);
        const ps_t start = earliest(at, hold);
        book(start, start + hold);
        return start;
    }
    ps_t busy_ps() const { return busy_; }
    size_t intervals() const { return busy_iv_.size(); }

private:
    std::map<ps_t, ps_t> busy_iv_;  // start -> end, disjoint, not touching
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
