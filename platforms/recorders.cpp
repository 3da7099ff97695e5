#include "platforms/recorders.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <map>

namespace iommusim {

namespace {

std::string hex(uint64_t v) {
    char b[24];
    std::snprintf(b, sizeof b, "0x%" PRIx64, v);
    return b;
}

std::string num(double v) {
    char b[40];
    std::snprintf(b, sizeof b, "%.6g", v);
    return b;
}

// Chrome trace timestamps are microseconds.
std::string us(uint64_t ps) {
    char b[40];
    std::snprintf(b, sizeof b, "%.6f", double(ps) / 1e6);
    return b;
}

}  // namespace

// ---------------------------------------------------------------- transactions.csv

bool TransactionLog::open(const std::string& path, uint64_t limit) {
    f_.open(path);
    limit_ = limit;
    f_ << "index,device,requester,pasid,address,size,access,due_ns,done_ns,latency_ns,translation_ns,result\n";
    return bool(f_);
}

void TransactionLog::record(const std::string& device, RequesterId rid, const DmaInitiator::Completed& c) {
    if (written_ >= limit_) {
        dropped_++;
        return;
    }
    written_++;
    const uint64_t due = c.due.value(), done = c.done.value();
    f_ << c.index << ',' << device << ',' << rid.str() << ',' << (c.pasid_valid ? std::to_string(c.pasid) : "-")
       << ',' << hex(c.addr) << ',' << c.size << ',' << (c.write ? 'w' : 'r') << ',' << num(double(due) / 1000.0)
       << ',' << num(double(done) / 1000.0) << ',' << num(double(done - due) / 1000.0) << ','
       << num(double(c.translation_ps) / 1000.0) << ',';
    if (c.fault)
        f_ << c.fault;
    else if (!c.ok)
        f_ << "ERROR";
    else
        f_ << hex(c.output_addr);
    f_ << '\n';
}

// ---------------------------------------------------------------- trace.json

bool ChromeTrace::open(const std::string& path, uint64_t limit) {
    f_.open(path);
    limit_ = limit;
    f_ << "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    f_ << "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"devices\"}},\n";
    f_ << "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":2,\"args\":{\"name\":\"IOMMU walkers\"}}";
    first_ = false;
    return bool(f_);
}

void ChromeTrace::name_device(unsigned index, const std::string& name) {
    f_ << ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":" << index << ",\"args\":{\"name\":\"" << name
       << "\"}}";
}

void ChromeTrace::name_iommu(unsigned index, const std::string& name) {
    f_ << ",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":2,\"tid\":" << index << ",\"args\":{\"name\":\"" << name
       << "\"}}";
}

bool ChromeTrace::room() {
    if (written_ >= limit_) {
        dropped_++;
        return false;
    }
    written_++;
    return true;
}

void ChromeTrace::dma(unsigned device, const DmaInitiator::Completed& c) {
    if (!room()) return;
    const uint64_t due = c.due.value(), done = c.done.value();
    f_ << ",\n{\"name\":\"" << (c.write ? "write " : "read ") << hex(c.addr) << "\",\"cat\":\"dma\",\"ph\":\"X\",\"pid\":1,"
       << "\"tid\":" << device << ",\"ts\":" << us(due) << ",\"dur\":" << us(done - due) << ",\"args\":{\"size\":"
       << c.size << ",\"translation_ns\":" << num(double(c.translation_ps) / 1000.0);
    if (c.pasid_valid) f_ << ",\"pasid\":" << c.pasid;
    if (c.fault)
        f_ << ",\"fault\":\"" << c.fault << "\"";
    else if (c.ok)
        f_ << ",\"output\":\"" << hex(c.output_addr) << "\"";
    f_ << "}}";
}

void ChromeTrace::walk(unsigned iommu, uint64_t start_ps, uint64_t end_ps) {
    if (!room()) return;
    f_ << ",\n{\"name\":\"walk\",\"cat\":\"walk\",\"ph\":\"X\",\"pid\":2,\"tid\":" << iommu << ",\"ts\":" << us(start_ps)
       << ",\"dur\":" << us(end_ps - start_ps) << "}";
}

void ChromeTrace::close() {
    f_ << "\n]}\n";
    f_.close();
}

// ---------------------------------------------------------------- activity.vcd

unsigned VcdRecorder::add_signal(const std::string& scope, const std::string& name) {
    signals_.push_back({scope, name});
    return static_cast<unsigned>(signals_.size() - 1);
}

void VcdRecorder::interval(unsigned signal, uint64_t start_ps, uint64_t end_ps) {
    if (changes_.size() + 2 > 2 * limit_) {
        dropped_++;
        return;
    }
    changes_.push_back({start_ps, signal, +1});
    changes_.push_back({end_ps, signal, -1});
}

bool VcdRecorder::write(const std::string& path) const {
    std::ofstream f(path);
    f << "$date iommusim $end\n$version iommusim activity $end\n$timescale 1ps $end\n";
    // Identifiers: printable ASCII from '!' (VCD), several characters when needed.
    auto ident = [](unsigned i) {
        std::string s;
        do {
            s += static_cast<char>('!' + i % 94);
            i /= 94;
        } while (i);
        return s;
    };
    std::map<std::string, std::vector<unsigned>> scopes;
    for (unsigned i = 0; i < signals_.size(); ++i) scopes[signals_[i].scope].push_back(i);
    for (const auto& [scope, ids] : scopes) {
        f << "$scope module " << scope << " $end\n";
        for (unsigned i : ids) f << "$var integer 32 " << ident(i) << ' ' << signals_[i].name << " $end\n";
        f << "$upscope $end\n";
    }
    f << "$enddefinitions $end\n";
    std::vector<Change> ch = changes_;
    // At equal times, ends before starts: back-to-back intervals do not overlap.
    std::stable_sort(ch.begin(), ch.end(), [](const Change& a, const Change& b) {
        return a.t != b.t ? a.t < b.t : a.delta < b.delta;
    });
    std::vector<int64_t> value(signals_.size(), 0);
    auto bin = [](int64_t v) {
        if (v <= 0) return std::string("0");
        std::string s;
        for (; v; v >>= 1) s.insert(s.begin(), char('0' + (v & 1)));
        return s;
    };
    f << "#0\n$dumpvars\n";
    for (unsigned i = 0; i < signals_.size(); ++i) f << "b0 " << ident(i) << '\n';
    f << "$end\n";
    size_t k = 0;
    while (k < ch.size()) {
        const uint64_t t = ch[k].t;
        std::map<unsigned, int64_t> changed;
        for (; k < ch.size() && ch[k].t == t; ++k) {
            value[ch[k].signal] += ch[k].delta;
            changed[ch[k].signal] = value[ch[k].signal];
        }
        f << '#' << t << '\n';
        for (const auto& [sig, v] : changed) f << 'b' << bin(v) << ' ' << ident(sig) << '\n';
    }
    return bool(f);
}

}  // namespace iommusim
