// SMMUv3 event queue (IHI 0070 §7): 32-byte records written to memory at
// EVENTQ_PROD. A full queue sets EVENTQ_PROD.OVFLG (so it differs from
// EVENTQ_CONS.OVACKFLG) and the record is lost; simulation goes on.
#include <algorithm>

#include "models/smmuv3/smmuv3.h"

namespace iommusim::smmuv3 {

Event Smmuv3::make_fault_event(uint32_t sid, bool ssv, uint32_t ssid, const TranslationFault& f, const Access& a) {
    Event e;
    uint8_t type = F_TRANSLATION;
    switch (f.type) {
        case FaultType::Translation: type = F_TRANSLATION; break;
        case FaultType::AddressSize: type = F_ADDR_SIZE; break;
        case FaultType::AccessFlag: type = F_ACCESS; break;
        case FaultType::Permission: type = F_PERMISSION; break;
        case FaultType::WalkExtAbort: type = F_WALK_EABT; break;
        case FaultType::None: break;
    }
    e.set_EventType(type);
    e.set_StreamID(sid);
    e.set_SSV(ssv);
    e.set_SubstreamID(ssv ? ssid : 0);
    e.set_InputAddr(f.input_addr ? f.input_addr : a.addr);
    e.set_RnW(!a.write);
    e.set_PnU(a.privileged);
    e.set_InD(a.exec);
    e.set_S2(f.stage == 2);
    e.set_CLASS(f.cls == FaultClass::CD ? CLASS_CD : f.cls == FaultClass::TT ? CLASS_TT : CLASS_IN);
    if (f.stage == 2) e.set_IPA(f.ipa >> 12);
    if (f.type == FaultType::WalkExtAbort) e.set_FetchAddr(f.fetch_addr >> 3);
    return e;
}

void Smmuv3::record_event(const Event& e, ps_t& t) {
    if (!Cr0{cr0_}.EVENTQEN()) {
        st_.events_lost++;
        return;
    }
    const EventqBase base{eventq_base_};
    const unsigned log2 = std::min<unsigned>(static_cast<unsigned>(base.LOG2SIZE()), p_.eventq_log2_max);
    const uint32_t wrap_mask = (uint32_t{2} << log2) - 1;
    const uint32_t idx_mask = (uint32_t{1} << log2) - 1;
    EventqProd prod{eventq_prod_};
    const EventqCons cons{eventq_cons_};
    const uint32_t wr = static_cast<uint32_t>(prod.WR()) & wrap_mask;
    const uint32_t rd = static_cast<uint32_t>(cons.RD()) & wrap_mask;
    const bool full = (wr & idx_mask) == (rd & idx_mask) && wr != rd;
    if (full) {
        st_.events_lost++;
        if (prod.OVFLG() == cons.OVACKFLG()) {
            prod.set_OVFLG(!cons.OVACKFLG());
            eventq_prod_ = static_cast<uint32_t>(prod.value);
        }
        return;
    }
    if (!mem_write(base.addr() + uint64_t{wr & idx_mask} * 32, e.dw, 32, t)) {
        // EVENTQ_ABT_ERR: the queue is unusable until software fixes it.
        Gerror g{gerror_};
        g.set_EVENTQ_ABT_ERR(!Gerror{gerrorn_}.EVENTQ_ABT_ERR());
        gerror_ = static_cast<uint32_t>(g.value);
        st_.events_lost++;
        return;
    }
    st_.events++;
    prod.set_WR((wr + 1) & wrap_mask);
    eventq_prod_ = static_cast<uint32_t>(prod.value);
}

}  // namespace iommusim::smmuv3
