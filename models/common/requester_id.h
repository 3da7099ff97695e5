// PCI requester ID: bus[15:8] device[7:3] function[2:0].
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

namespace iommusim {

struct RequesterId {
    uint16_t value = 0;
    static constexpr RequesterId make(unsigned bus, unsigned dev, unsigned fn) {
        return RequesterId{static_cast<uint16_t>(((bus & 0xff) << 8) | ((dev & 0x1f) << 3) | (fn & 7))};
    }
    constexpr unsigned bus() const { return value >> 8; }
    constexpr unsigned device() const { return (value >> 3) & 0x1f; }
    constexpr unsigned function() const { return value & 7; }
    std::string str() const {
        char b[16];
        std::snprintf(b, sizeof b, "%02x:%02x.%x", bus(), device(), function());
        return b;
    }
    // Parses "bb:dd.f" (hex bus and device, function 0-7).
    static bool parse(const std::string& s, RequesterId& out) {
        unsigned b, d, f;
        char tail;
        if (std::sscanf(s.c_str(), "%x:%x.%x%c", &b, &d, &f, &tail) != 3) return false;
        if (b > 0xff || d > 0x1f || f > 7) return false;
        out = make(b, d, f);
        return true;
    }
};

}  // namespace iommusim
