// Arm SMMUv3 Event queue records.
//
// IHI 0070 §7.3 "Event records" (§7.3.2 F_UUT ... §7.3.20 F_VMS_FETCH). A
// record is 32 bytes, four little-endian 64-bit words; bit positions here are
// absolute within the record.
//
// Record layouts (x = defined for that record type; everything else RES0):
//
//   field            bits       F_UUT C_BAD F_STE/CD F_CFG  F_WALK F_TRANS F_TLB  F_VMS
//                                     (2)   _FETCH   _CONF  _EABT  (1)     _CONF  _FETCH
//   EventType        [7:0]      x     x     x        x      x      x       x      x
//   SSV              [11]       x     x     x        x      x      x       x      x
//   SubstreamID      [31:12]    x     x     x        x      x      x       x      x
//   StreamID         [63:32]    x     x     x        x      x      x       x      x
//   STAG             [79:64]                                       x
//   Reason           [79:64]    x           x               x                     x
//   GPCF             [80]                   x               x                     x
//   ConflictReason   [95:64]                         x                     x
//   Stall            [95]                                          x
//   PnU/InD/RnW      [97..99]   x                           x      x       x
//   NSIPA            [102]                                         x       x
//   S2               [103]                                  x      x       x
//   CLASS            [105:104]                              x      x
//   TTRnW            [108]                                         x (3)
//   InputAddr        [191:128]  x                           x      x       x
//   IPA              [243:204]                                     x       x
//   FetchAddr        [243:195]              x               x                     x
//
//   (1) F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_PERMISSION.
//   (2) C_BAD_STREAMID, C_BAD_STE, C_BAD_CD. C_BAD_SUBSTREAMID has
//       SubstreamID but no SSV (always valid); F_STREAM_DISABLED has
//       StreamID only.
//   (3) Defined for F_PERMISSION (valid when CLASS == TT); Linux reads it for
//       all four translation faults.
//   F_TRANSL_FORBIDDEN: StreamID, RnW [99], InputAddr [191:128].
//   E_PAGE_REQUEST: SSV, SubstreamID, StreamID, uX [97], uW [98], uR [99],
//       pX [101], pW [102], pR [103], Span [115:108], PageReqInputAddr [191:140].
//   F_BAD_ATS_TREQ: SSV, SubstreamID, StreamID only here - see below.
//
// Sources: the IHI 0070 §7.3 text (layout tables survive in the consulted copy
// for F_UUT, C_BAD_*, F_STE_FETCH, F_STREAM_DISABLED, F_TRANSL_FORBIDDEN,
// F_CFG_CONFLICT, E_PAGE_REQUEST, F_VMS_FETCH, partly for F_TLB_CONFLICT),
// Linux arm-smmu-v3.h (EVTQ_*: SSV, SSID, SID, STAG, STALL, PnU, InD, RnW, S2,
// CLASS, TT_READ, ADDR, IPA), QEMU smmuv3-internal.h (EVT_SET_*) and gem5
// smmu_v3_defs.hh (SMMUEvent: NSIPA [102], fetchAddr [51:3] and ipa [51:12] of
// word 3). Uncertain points:
//   * F_BAD_ATS_TREQ's R/W/X/PRIV, Span and InputAddr positions are only in
//     the figure, which no consulted source reproduces: not encoded.
//   * F_UUT's Reason: the layout table puts Reason in [95:64] next to the
//     labels 80/79; taken as [79:64] to match the fetch events. Unconfirmed.
//   * F_TLB_CONFLICT: Reason assumed [95:64] as in F_CFG_CONFLICT, and
//     NSIPA/S2/RnW/InD/PnU assumed at the common positions. Unconfirmed.
//   * gem5 declares STAG as [80:64] (17 bits); spec, Linux and QEMU: [79:64].
//   * F_PERMISSION's SMMUv3.4 DirtyBit/Overlay/AssuredOnly bits: not encoded.
//
// Address width: IPA and FetchAddr are [55:12]/[55:3] in the SMMUv3.4 issue
// (bits up to 247); 52-bit here, bits [247:244] RES0.
#pragma once

#include <cstdint>

#include "models/common/bits.h"

namespace iommusim::smmuv3 {

// ---- Event type numbers (§7.3) ----
inline constexpr uint8_t F_UUT = 0x01;
inline constexpr uint8_t C_BAD_STREAMID = 0x02;
inline constexpr uint8_t F_STE_FETCH = 0x03;
inline constexpr uint8_t C_BAD_STE = 0x04;
inline constexpr uint8_t F_BAD_ATS_TREQ = 0x05;
inline constexpr uint8_t F_STREAM_DISABLED = 0x06;
inline constexpr uint8_t F_TRANSL_FORBIDDEN = 0x07;
inline constexpr uint8_t C_BAD_SUBSTREAMID = 0x08;
inline constexpr uint8_t F_CD_FETCH = 0x09;
inline constexpr uint8_t C_BAD_CD = 0x0A;
inline constexpr uint8_t F_WALK_EABT = 0x0B;
inline constexpr uint8_t F_TRANSLATION = 0x10;
inline constexpr uint8_t F_ADDR_SIZE = 0x11;
inline constexpr uint8_t F_ACCESS = 0x12;
inline constexpr uint8_t F_PERMISSION = 0x13;
inline constexpr uint8_t F_TLB_CONFLICT = 0x20;
inline constexpr uint8_t F_CFG_CONFLICT = 0x21;
inline constexpr uint8_t E_PAGE_REQUEST = 0x24;
inline constexpr uint8_t F_VMS_FETCH = 0x25;
inline constexpr uint8_t IMPDEF_EVENT_FIRST = 0xE0;
inline constexpr uint8_t IMPDEF_EVENT_LAST = 0xEF;

// CLASS: what the faulting access was doing.
inline constexpr uint64_t CLASS_CD = 0b00;  // CD fetch
inline constexpr uint64_t CLASS_TT = 0b01;  // stage 1 translation table fetch ("TTD")
inline constexpr uint64_t CLASS_IN = 0b10;  // input address of the transaction

inline const char* event_type_name(uint8_t type) {
    switch (type) {
        case F_UUT: return "F_UUT";
        case C_BAD_STREAMID: return "C_BAD_STREAMID";
        case F_STE_FETCH: return "F_STE_FETCH";
        case C_BAD_STE: return "C_BAD_STE";
        case F_BAD_ATS_TREQ: return "F_BAD_ATS_TREQ";
        case F_STREAM_DISABLED: return "F_STREAM_DISABLED";
        case F_TRANSL_FORBIDDEN: return "F_TRANSL_FORBIDDEN";
        case C_BAD_SUBSTREAMID: return "C_BAD_SUBSTREAMID";
        case F_CD_FETCH: return "F_CD_FETCH";
        case C_BAD_CD: return "C_BAD_CD";
        case F_WALK_EABT: return "F_WALK_EABT";
        case F_TRANSLATION: return "F_TRANSLATION";
        case F_ADDR_SIZE: return "F_ADDR_SIZE";
        case F_ACCESS: return "F_ACCESS";
        case F_PERMISSION: return "F_PERMISSION";
        case F_TLB_CONFLICT: return "F_TLB_CONFLICT";
        case F_CFG_CONFLICT: return "F_CFG_CONFLICT";
        case E_PAGE_REQUEST: return "E_PAGE_REQUEST";
        case F_VMS_FETCH: return "F_VMS_FETCH";
        default: break;
    }
    if (type >= IMPDEF_EVENT_FIRST && type <= IMPDEF_EVENT_LAST) return "IMPDEF_EVENT";
    return "UNKNOWN";
}

struct Event {
    uint64_t dw[4] = {};

    // ---- Word 0: common to all records ----
    IOMMUSIM_FIELD(EventType, 0, 8)
    IOMMUSIM_FIELD(SSV, 11, 1)
    IOMMUSIM_FIELD(SubstreamID, 12, 20)
    IOMMUSIM_FIELD(StreamID, 32, 32)

    // ---- Word 1 ----
    IOMMUSIM_FIELD(STAG, 64, 16)     // translation faults
    IOMMUSIM_FIELD(Reason, 64, 16)   // F_UUT, F_STE_FETCH, F_CD_FETCH, F_WALK_EABT, F_VMS_FETCH
    IOMMUSIM_FIELD(GPCF, 80, 1)      // fetch events and F_WALK_EABT (RME)
    IOMMUSIM_FIELD(ConflictReason, 64, 32)  // F_CFG_CONFLICT, F_TLB_CONFLICT
    IOMMUSIM_FIELD(Stall, 95, 1)     // translation faults
    IOMMUSIM_FIELD(PnU, 97, 1)       // 1 = privileged
    IOMMUSIM_FIELD(InD, 98, 1)       // 1 = instruction
    IOMMUSIM_FIELD(RnW, 99, 1)       // 1 = read
    IOMMUSIM_FIELD(NSIPA, 102, 1)
    IOMMUSIM_FIELD(S2, 103, 1)       // 1 = stage 2 fault
    IOMMUSIM_FIELD(CLASS, 104, 2)
    IOMMUSIM_FIELD(TTRnW, 108, 1)    // Linux: EVTQ_1_TT_READ
    // E_PAGE_REQUEST access flags and span (share bits with PnU/InD/RnW,
    // NSIPA and S2 of other records).
    IOMMUSIM_FIELD(uX, 97, 1)
    IOMMUSIM_FIELD(uW, 98, 1)
    IOMMUSIM_FIELD(uR, 99, 1)
    IOMMUSIM_FIELD(pX, 101, 1)
    IOMMUSIM_FIELD(pW, 102, 1)
    IOMMUSIM_FIELD(pR, 103, 1)
    IOMMUSIM_FIELD(Span, 108, 8)     // E_PAGE_REQUEST: span of Span * 4KB

    // ---- Word 2 ----
    IOMMUSIM_FIELD(InputAddr, 128, 64)
    IOMMUSIM_FIELD(PageReqInputAddr, 140, 52)  // E_PAGE_REQUEST: InputAddr[63:12]

    // ---- Word 3 ----
    IOMMUSIM_FIELD(IPA, 204, 40)        // IPA[51:12]
    IOMMUSIM_FIELD(FetchAddr, 195, 49)  // PA[51:3]

    // ---- Byte-address helpers ----
    // IPA and FetchAddr sit at their natural bit positions in word 3.
    static constexpr unsigned kIpaShift = IPA_lsb - 192;              // 12
    static constexpr unsigned kFetchAddrShift = FetchAddr_lsb - 192;  // 3
    static constexpr unsigned kPageReqShift = PageReqInputAddr_lsb - 128;  // 12
    uint64_t ipa() const { return IPA() << kIpaShift; }
    void set_ipa(uint64_t a) { set_IPA(a >> kIpaShift); }
    uint64_t fetch_addr() const { return FetchAddr() << kFetchAddrShift; }
    void set_fetch_addr(uint64_t a) { set_FetchAddr(a >> kFetchAddrShift); }
    uint64_t page_req_input_addr() const { return PageReqInputAddr() << kPageReqShift; }
    void set_page_req_input_addr(uint64_t a) { set_PageReqInputAddr(a >> kPageReqShift); }

    const char* type_name() const { return event_type_name(static_cast<uint8_t>(EventType())); }

    static Event make(uint8_t type, uint32_t sid) {
        Event e;
        e.set_EventType(type);
        e.set_StreamID(sid);
        return e;
    }
};
static_assert(sizeof(Event) == 32, "An event record is 32 bytes");

}  // namespace iommusim::smmuv3
