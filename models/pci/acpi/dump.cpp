#include "models/pci/acpi/dump.h"

#include <cstdio>
#include <map>
#include <stdexcept>

#include "models/pci/acpi/acpi_table.h"
#include "models/pci/acpi/dmar.h"
#include "models/pci/acpi/iort.h"
#include "models/pci/acpi/ivrs.h"

namespace iommusim::pci::acpi {

namespace {

constexpr unsigned kBusShift = 8;
constexpr unsigned kDevShift = 3;
constexpr unsigned kDevMask = 0x1f;
constexpr unsigned kFnMask = 0x7;
constexpr size_t kHexPerLine = 16;

class Out {
public:
    explicit Out(const ByteReader& r) : r_(r) {}
    std::string take() { return std::move(s_); }

    void text(const std::string& t) { s_ += t + "\n"; }
    // "[off] name : value" at the current indentation.
    void field(size_t off, const std::string& name, const std::string& value) {
        char b[32];
        std::snprintf(b, sizeof b, "[%04zx] ", off);
        std::string line = std::string(indent_ * 2, ' ') + b + name;
        if (line.size() < kValueColumn) line.resize(kValueColumn, ' ');
        s_ += line + " : " + value + "\n";
    }
    void heading(const std::string& t) { s_ += std::string(indent_ * 2, ' ') + t + "\n"; }
    void push() { ++indent_; }
    void pop() { --indent_; }

    // Typed fields.
    void u8(size_t off, const std::string& name) { field(off, name, hex(r_.u8(off), 2)); }
    void u16(size_t off, const std::string& name) { field(off, name, hex(r_.u16(off), 4)); }
    void u32(size_t off, const std::string& name) { field(off, name, hex(r_.u32(off), 8)); }
    void u64(size_t off, const std::string& name) { field(off, name, hex(r_.u64(off), 16)); }
    void dec8(size_t off, const std::string& name) { field(off, name, std::to_string(r_.u8(off))); }
    void dec32(size_t off, const std::string& name) { field(off, name, std::to_string(r_.u32(off))); }
    void str(size_t off, size_t n, const std::string& name) { field(off, name, "\"" + printable(r_.str(off, n)) + "\""); }

    static std::string hex(uint64_t v, int digits) {
        char b[32];
        std::snprintf(b, sizeof b, "0x%0*llX", digits, static_cast<unsigned long long>(v));
        return b;
    }
    static std::string bdf(uint16_t id) {
        char b[16];
        std::snprintf(b, sizeof b, "%02x:%02x.%x", id >> kBusShift, (id >> kDevShift) & kDevMask, id & kFnMask);
        return b;
    }
    static std::string printable(const std::string& s) {
        std::string o;
        for (char c : s) o += (c >= 0x20 && c < 0x7f) ? c : '.';
        return o;
    }

private:
    static constexpr size_t kValueColumn = 40;
    const ByteReader& r_;
    std::string s_;
    int indent_ = 0;
};

std::string flag_list(uint64_t v, const std::vector<std::pair<uint64_t, const char*>>& names) {
    std::string s;
    for (const auto& [bit, name] : names)
        if (v & bit) s += (s.empty() ? "" : " | ") + std::string(name);
    return s.empty() ? "" : " (" + s + ")";
}

void header(Out& o, const ByteReader& r, const std::vector<uint8_t>& table) {
    o.str(sdt::kSignature, sdt::kSignatureLen, "Signature");
    const uint32_t len = r.u32(sdt::kLength);
    o.field(sdt::kLength, "Length", Out::hex(len, 8) + " (" + std::to_string(len) + ")" +
                                        (len == r.size() ? "" : " MISMATCH: buffer is " + std::to_string(r.size())));
    o.dec8(sdt::kRevision, "Revision");
    o.field(sdt::kChecksum, "Checksum",
            Out::hex(r.u8(sdt::kChecksum), 2) + (byte_sum(table) == 0 ? " (valid)" : " (INVALID: sum != 0)"));
    o.str(sdt::kOemId, sdt::kOemIdLen, "OEM ID");
    o.str(sdt::kOemTableId, sdt::kOemTableIdLen, "OEM Table ID");
    o.u32(sdt::kOemRevision, "OEM Revision");
    o.str(sdt::kCreatorId, sdt::kCreatorIdLen, "Creator ID");
    o.u32(sdt::kCreatorRevision, "Creator Revision");
}

// ---- IORT ------------------------------------------------------------------

const char* iort_node_name(uint8_t t) {
    switch (t) {
        case iort::kItsGroup: return "ITS group";
        case iort::kNamedComponent: return "Named component";
        case iort::kRootComplex: return "PCI root complex";
        case iort::kSmmuV1V2: return "SMMUv1/v2";
        case iort::kSmmuV3: return "SMMUv3";
        case iort::kPmcg: return "PMCG";
        case iort::kRmr: return "RMR";
    }
    return "unknown";
}

void dump_iort(Out& o, const ByteReader& r) {
    using namespace iort;
    const uint32_t count = r.u32(kNodeCount);
    const uint32_t first = r.u32(kNodeArrayOffset);
    o.dec32(kNodeCount, "Node count");
    o.u32(kNodeArrayOffset, "Node array offset");
    o.u32(kReserved, "Reserved");

    // First pass: where the nodes are, for naming output references.
    std::map<size_t, std::string> names;
    size_t off = first;
    for (uint32_t i = 0; i < count && r.has(off, kNodeHeaderSize); ++i) {
        const uint16_t len = r.u16(off + kNodeLength);
        names[off] = std::string(iort_node_name(r.u8(off + kNodeType))) + " #" + std::to_string(i);
        if (len < kNodeHeaderSize) break;
        off += len;
    }

    off = first;
    for (uint32_t i = 0; i < count; ++i) {
        if (!r.has(off, kNodeHeaderSize)) {
            o.text("  <node " + std::to_string(i) + " runs past the end of the table>");
            return;
        }
        const uint8_t type = r.u8(off + kNodeType);
        const uint16_t len = r.u16(off + kNodeLength);
        o.heading("Node " + std::to_string(i) + ": " + iort_node_name(type) + " at " + Out::hex(off, 4));
        o.push();
        o.field(off + kNodeType, "Type", std::to_string(type) + " (" + iort_node_name(type) + ")");
        o.field(off + kNodeLength, "Length", std::to_string(len));
        o.dec8(off + kNodeRevision, "Revision");
        o.dec32(off + kNodeIdentifier, "Identifier");
        const uint32_t nmap = r.u32(off + kNodeMappingCount);
        const uint32_t mapoff = r.u32(off + kNodeMappingOffset);
        o.dec32(off + kNodeMappingCount, "ID mapping count");
        o.u32(off + kNodeMappingOffset, "ID mapping array offset");
        if (len < kNodeHeaderSize || !r.has(off, len)) {
            o.text("  <node length inconsistent with the table>");
            o.pop();
            return;
        }
        if (type == kItsGroup) {
            const uint32_t n = r.u32(off + kItsCount);
            o.dec32(off + kItsCount, "ITS count");
            for (uint32_t k = 0; k < n && kItsIds + 4 * (k + 1) <= len; ++k)
                o.dec32(off + kItsIds + 4 * k, "GIC ITS identifier[" + std::to_string(k) + "]");
        } else if (type == kSmmuV3 && len >= kSmmuV3Size) {
            o.u64(off + kSmmuBase, "Base address");
            const uint32_t f = r.u32(off + kSmmuFlags);
            o.field(off + kSmmuFlags, "Flags",
                    Out::hex(f, 8) + flag_list(f, {{kSmmuFlagCohaccOverride, "COHACC override"},
                                                   {kSmmuFlagHttuMask, "HTTU override"},
                                                   {kSmmuFlagProximityValid, "proximity domain valid"},
                                                   {kSmmuFlagDeviceIdValid, "DeviceID mapping index valid"}}));
            o.u32(off + kSmmuReserved, "Reserved");
            o.u64(off + kSmmuVatos, "VATOS address");
            const uint32_t model = r.u32(off + kSmmuModel);
            o.field(off + kSmmuModel, "Model", std::to_string(model) + (model == kSmmuModelGeneric ? " (generic)" : ""));
            o.dec32(off + kSmmuEventGsiv, "Event GSIV");
            o.dec32(off + kSmmuPriGsiv, "PRI GSIV");
            o.dec32(off + kSmmuGerrGsiv, "GERR GSIV");
            o.dec32(off + kSmmuSyncGsiv, "Sync GSIV");
            o.dec32(off + kSmmuProximity, "Proximity domain");
            o.dec32(off + kSmmuDeviceIdIndex, "DeviceID mapping index");
        } else if (type == kRootComplex && len >= kRcSize) {
            const uint32_t cca = r.u32(off + kRcCca);
            o.field(off + kRcCca, "Cache coherent attribute",
                    std::to_string(cca) + (cca == kCcaCoherent ? " (fully coherent)" : ""));
            o.u8(off + kRcAllocHints, "Allocation hints");
            o.u16(off + kRcMapReserved, "Reserved");
            const uint8_t mf = r.u8(off + kRcMemFlags);
            o.field(off + kRcMemFlags, "Memory access flags",
                    Out::hex(mf, 2) + flag_list(mf, {{kMemFlagCpm, "CPM"}, {kMemFlagDacs, "DACS"}}));
            o.u32(off + kRcAts, "ATS attribute");
            o.dec32(off + kRcSegment, "PCI segment number");
            o.field(off + kRcMemAddrLimit, "Memory address size limit",
                    std::to_string(r.u8(off + kRcMemAddrLimit)) + " bits");
        }
        for (uint32_t k = 0; k < nmap; ++k) {
            const size_t m = off + mapoff + size_t{k} * kMapSize;
            if (mapoff < kNodeHeaderSize || m + kMapSize > off + len) {
                o.text("  <ID mapping " + std::to_string(k) + " lies outside its node>");
                break;
            }
            const uint32_t n = r.u32(m + kMapIdCount);
            const uint32_t ref = r.u32(m + kMapOutputRef);
            const auto it = names.find(ref);
            o.heading("ID mapping " + std::to_string(k));
            o.push();
            o.u32(m + kMapInputBase, "Input base");
            o.field(m + kMapIdCount, "Number of IDs - 1",
                    Out::hex(n, 8) + " (" + std::to_string(uint64_t{n} + 1) + " IDs)");
            o.u32(m + kMapOutputBase, "Output base");
            o.field(m + kMapOutputRef, "Output reference",
                    Out::hex(ref, 8) + (it != names.end() ? " (" + it->second + ")" : " (NO NODE THERE)"));
            const uint32_t f = r.u32(m + kMapFlags);
            o.field(m + kMapFlags, "Flags", Out::hex(f, 8) + flag_list(f, {{kMapFlagSingle, "single mapping"}}));
            o.pop();
        }
        o.pop();
        off += len;
    }
    if (off != r.size()) o.text("  <" + std::to_string(r.size() - off) + " bytes after the last node>");
}

// ---- DMAR ------------------------------------------------------------------

const char* dmar_struct_name(uint16_t t) {
    switch (t) {
        case dmar::kDrhd: return "DRHD (DMA remapping hardware unit)";
        case dmar::kRmrr: return "RMRR (reserved memory region)";
        case dmar::kAtsr: return "ATSR (root port ATS capability)";
        case dmar::kRhsa: return "RHSA (remapping hardware static affinity)";
        case dmar::kAndd: return "ANDD (ACPI namespace device)";
        case dmar::kSatc: return "SATC (SoC integrated address translation cache)";
    }
    return "unknown";
}

const char* dmar_scope_name(uint8_t t) {
    switch (t) {
        case dmar::kScopeEndpoint: return "PCI endpoint";
        case dmar::kScopeSubHierarchy: return "PCI sub-hierarchy";
        case dmar::kScopeIoapic: return "IOAPIC";
        case dmar::kScopeHpet: return "MSI-capable HPET";
        case dmar::kScopeNamespace: return "ACPI namespace device";
    }
    return "unknown";
}

void dump_dmar(Out& o, const ByteReader& r) {
    using namespace dmar;
    const uint8_t haw = r.u8(kHostAddressWidth);
    o.field(kHostAddressWidth, "Host address width - 1",
            std::to_string(haw) + " (" + std::to_string(haw + 1) + "-bit DMA addresses)");
    const uint8_t f = r.u8(kFlags);
    o.field(kFlags, "Flags",
            Out::hex(f, 2) + flag_list(f, {{kFlagIntrRemap, "INTR_REMAP"},
                                           {kFlagX2apicOptOut, "X2APIC_OPT_OUT"},
                                           {kFlagDmaCtrlPlatformOptIn, "DMA_CTRL_PLATFORM_OPT_IN"}}));
    size_t off = kStructuresStart;
    for (int i = 0; off < r.size(); ++i) {
        if (!r.has(off, kStructLength + 2)) {
            o.text("  <structure header runs past the end of the table>");
            return;
        }
        const uint16_t type = r.u16(off + kStructType);
        const uint16_t len = r.u16(off + kStructLength);
        o.heading("Structure " + std::to_string(i) + ": " + dmar_struct_name(type) + " at " + Out::hex(off, 4));
        o.push();
        o.field(off + kStructType, "Type", std::to_string(type));
        o.field(off + kStructLength, "Length", std::to_string(len));
        if (len < kStructLength + 2 || !r.has(off, len)) {
            o.text("  <structure length inconsistent with the table>");
            o.pop();
            return;
        }
        if (type == kDrhd && len >= kDrhdScopes) {
            const uint8_t df = r.u8(off + kDrhdFlags);
            o.field(off + kDrhdFlags, "Flags", Out::hex(df, 2) + flag_list(df, {{kDrhdIncludePciAll, "INCLUDE_PCI_ALL"}}));
            o.field(off + kDrhdSize, "Size", std::to_string(r.u8(off + kDrhdSize)) + " (2^N 4 KiB register pages)");
            o.u16(off + kDrhdSegment, "PCI segment");
            o.u64(off + kDrhdBase, "Register base address");
            size_t s = off + kDrhdScopes;
            for (int k = 0; s < off + len; ++k) {
                if (s + kScopePath > off + len) {
                    o.text("  <device scope runs past its structure>");
                    break;
                }
                const uint8_t st = r.u8(s + kScopeType);
                const uint8_t sl = r.u8(s + kScopeLength);
                o.heading("Device scope " + std::to_string(k) + ": " + dmar_scope_name(st));
                o.push();
                o.field(s + kScopeType, "Type", std::to_string(st) + " (" + dmar_scope_name(st) + ")");
                o.field(s + kScopeLength, "Length", std::to_string(sl));
                if (sl < kScopePath || s + sl > off + len) {
                    o.text("  <device scope length inconsistent>");
                    o.pop();
                    break;
                }
                o.dec8(s + kScopeEnumId, "Enumeration ID");
                o.u8(s + kScopeStartBus, "Start bus number");
                for (size_t p = kScopePath; p + kScopePathEntry <= sl; p += kScopePathEntry) {
                    char b[32];
                    std::snprintf(b, sizeof b, "{device %02x, function %x}", r.u8(s + p + kPathDevice),
                                  r.u8(s + p + kPathFunction));
                    o.field(s + p, "Path[" + std::to_string((p - kScopePath) / kScopePathEntry) + "]", b);
                }
                o.pop();
                s += sl;
            }
        }
        o.pop();
        off += len;
    }
}

// ---- IVRS ------------------------------------------------------------------

const char* ivrs_entry_name(uint8_t t) {
    using namespace ivrs;
    switch (t) {
        case kEntryPad4: return "pad (4 bytes)";
        case kEntryAll: return "ALL";
        case kEntrySelect: return "Select";
        case kEntryStartRange: return "Start of range";
        case kEntryEndRange: return "End of range";
        case kEntryPad8: return "pad (8 bytes)";
        case kEntryAliasSelect: return "Alias select";
        case kEntryAliasStartRange: return "Alias start of range";
        case kEntryExtSelect: return "Extended select";
        case kEntryExtStartRange: return "Extended start of range";
        case kEntrySpecial: return "Special device";
        case kEntryAcpiHid: return "ACPI HID device";
    }
    return "reserved";
}

// Byte size of the device entry at `e` (0: cannot tell).
size_t ivrs_entry_size(const ByteReader& r, size_t e) {
    using namespace ivrs;
    constexpr uint8_t kSizeClassShift = 6;
    constexpr size_t kHidFixed = 22;        // type..UID length
    constexpr size_t kHidUidLength = 21;    // u8
    const uint8_t t = r.u8(e + kEntryType);
    if (t == kEntryAcpiHid) return r.has(e, kHidFixed) ? kHidFixed + r.u8(e + kHidUidLength) : 0;
    switch (t >> kSizeClassShift) {
        case 0: return kEntry4Size;
        case 1: return kEntry8Size;
        case 2: return 2 * kEntry8Size;
        default: return 4 * kEntry8Size;
    }
}

void dump_ivrs(Out& o, const ByteReader& r) {
    using namespace ivrs;
    const uint32_t info = r.u32(kIvInfo);
    o.field(kIvInfo, "IVinfo",
            Out::hex(info, 8) + " (PASize " + std::to_string((info >> kInfoPaSizeShift) & kInfoSizeMask) +
                ", VASize " + std::to_string((info >> kInfoVaSizeShift) & kInfoSizeMask) + ", GVASize code " +
                std::to_string((info >> kInfoGvaSizeShift) & kInfoGvaSizeMask) + ((info & kInfoEfrSup) ? ", EFRSup" : "") +
                ((info & kInfoHtAtsResv) ? ", HtAtsResv" : "") + ")");
    o.u64(kReserved, "Reserved");
    size_t off = kBlocksStart;
    for (int i = 0; off < r.size(); ++i) {
        if (!r.has(off, kIvhdDeviceId + 2)) {
            o.text("  <block header runs past the end of the table>");
            return;
        }
        const uint8_t type = r.u8(off + kIvhdType);
        const uint16_t len = r.u16(off + kIvhdLength);
        const bool ivhd = type == kIvhdType10 || type == kIvhdType11 || type == kIvhdType40;
        const bool ivmd = type == kIvmdAll || type == kIvmdSelect || type == kIvmdRange;
        o.heading("Block " + std::to_string(i) + ": " + (ivhd ? "IVHD" : ivmd ? "IVMD" : "unknown") + " type " +
                  Out::hex(type, 2) + " at " + Out::hex(off, 4));
        o.push();
        o.u8(off + kIvhdType, "Type");
        const uint8_t f = r.u8(off + kIvhdFlags);
        o.field(off + kIvhdFlags, "Flags",
                Out::hex(f, 2) + (ivhd ? flag_list(f, {{kIvhdFlagHtTunEn, "HtTunEn"},
                                                       {kIvhdFlagPassPw, "PassPW"},
                                                       {kIvhdFlagResPassPw, "ResPassPW"},
                                                       {kIvhdFlagIsoc, "Isoc"},
                                                       {kIvhdFlagIotlbSup, "IotlbSup"},
                                                       {kIvhdFlagCoherent, "Coherent"},
                                                       {kIvhdFlagPrefSup, "PrefSup"},
                                                       {kIvhdFlagPprSup, "PPRSup"}})
                                       : ""));
        o.field(off + kIvhdLength, "Length", std::to_string(len));
        const size_t head = type == kIvhdType10 ? kIvhd10Size : kIvhd11Size;
        if (!r.has(off, len) || (ivhd && len < head) || len < kIvhdDeviceId + 2) {
            o.text("  <block length inconsistent with the table>");
            o.pop();
            return;
        }
        if (ivhd) {
            const uint16_t id = r.u16(off + kIvhdDeviceId);
            o.field(off + kIvhdDeviceId, "IOMMU DeviceID", Out::hex(id, 4) + " (" + Out::bdf(id) + ")");
            o.u16(off + kIvhdCapOffset, "Capability offset");
            o.u64(off + kIvhdBase, "IOMMU base address");
            o.u16(off + kIvhdSegment, "PCI segment group");
            o.u16(off + kIvhdInfo, "IOMMU info");
            o.u32(off + kIvhdFeatures, type == kIvhdType10 ? "IOMMU feature reporting" : "IOMMU attributes");
            size_t e = off + head;
            for (int k = 0; e < off + len; ++k) {
                const size_t sz = r.has(e, kEntry4Size) ? ivrs_entry_size(r, e) : 0;
                if (sz == 0 || e + sz > off + len) {
                    o.text("  <device entry runs past its block>");
                    break;
                }
                const uint8_t et = r.u8(e + kEntryType);
                const uint16_t did = r.u16(e + kEntryDeviceId);
                char b[96];
                std::snprintf(b, sizeof b, "type %02Xh %-22s DeviceID %s  data %02X", et, ivrs_entry_name(et),
                              Out::bdf(did).c_str(), r.u8(e + kEntryData));
                o.field(e, "Device entry " + std::to_string(k), b);
                e += sz;
            }
        }
        o.pop();
        off += len;
    }
}

void hexdump(Out& o, const ByteReader& r, size_t from) {
    for (size_t off = from; off < r.size(); off += kHexPerLine) {
        std::string line;
        for (size_t i = off; i < r.size() && i < off + kHexPerLine; ++i) {
            char b[4];
            std::snprintf(b, sizeof b, "%02x ", r.u8(i));
            line += b;
        }
        o.field(off, "data", line);
    }
}

}  // namespace

std::string dump_table(const std::vector<uint8_t>& table) {
    const ByteReader r(table);
    Out o(r);
    if (!r.has(0, sdt::kSize)) {
        o.text("<not an ACPI table: " + std::to_string(table.size()) + " bytes, shorter than the 36-byte header>");
        return o.take();
    }
    const std::string sig = r.str(sdt::kSignature, sdt::kSignatureLen);
    try {
        if (sig == "IORT") o.text("IORT: IO Remapping Table (Arm DEN 0049)");
        else if (sig == "DMAR") o.text("DMAR: DMA Remapping table (Intel VT-d)");
        else if (sig == "IVRS") o.text("IVRS: I/O Virtualization Reporting Structure (AMD IOMMU)");
        else o.text(Out::printable(sig) + ": no decoder for this signature");
        header(o, r, table);
        if (sig == "IORT") dump_iort(o, r);
        else if (sig == "DMAR") dump_dmar(o, r);
        else if (sig == "IVRS") dump_ivrs(o, r);
        else hexdump(o, r, sdt::kSize);
    } catch (const std::out_of_range&) {
        o.text("<truncated: a field lies past the end of the table>");
    }
    return o.take();
}

}  // namespace iommusim::pci::acpi
