// pattern: ring — a NIC-like descriptor ring with packet buffers, with the
// host driver in the loop (host_driven.h: IOVA allocation, map/unmap through
// the HostMapper, unmap policies strict / deferred / none).
//
// Layout of the device's buffer (physical region buffer_pa, IOVA window
// [iova, iova + window)), with g = the translation granule (4k/16k/64k):
//   ring:    ring_entries 16-byte descriptors at the start,
//            ring_bytes = roundup(ring_entries * 16, g); mapped once at
//            IOVA iova -> buffer_pa when the traffic starts (coherent DMA
//            memory, as drivers allocate rings), never unmapped.
//   buffers: slot_bytes = roundup(packet_size, g); nbufs = (window -
//            ring_bytes) / slot_bytes packet buffers at buffer_pa +
//            ring_bytes + b * slot_bytes (at least one, else
//            std::invalid_argument "packet_size: ..."). Packet k uses
//            buffer k mod nbufs.
//   IOVAs:   nbufs slots of slot_bytes at iova + ring_bytes (host_driven.h).
//
// One SC_THREAD; packets one after the other (one in flight). Packet k:
//   1. driver: allocates an IOVA slot and maps it (slot_bytes) to buffer
//      k mod nbufs (none: slot = buffer, mapped at its first use only).
//   2. device: reads descriptor k mod ring_entries (16-byte DMA read at
//      iova + (k mod ring_entries) * 16, a descriptor access), transfers the
//      packet in ceil(packet_size / size) DMAs of `size` bytes (the last one
//      the remainder) at the buffer's IOVA upwards — writes for rx, reads for
//      tx — and writes the descriptor back (16-byte DMA write: buffer IOVA
//      (8 bytes LE), packet_size (4), status 1 = done (4)). The device uses
//      the IOVA the driver chose; descriptor contents written by the CPU are
//      not modelled (the descriptor read is timing and translation only).
//      rx payload byte j of packet k is payload_byte(k, j).
//   3. driver: unmaps by the policy (strict: invalidate + sync now;
//      deferred: queue, flush at flush_batch / flush_timeout_ns; none:
//      nothing), then waits packet_gap_ns before the next packet.
// The DMAs of a packet are loosely timed with a quantum keeper, which is
// synchronised before each driver step. Stops after `packets` or, if
// duration_ns > 0, at the first packet starting at or after start +
// duration_ns. Deferred: what is still queued is flushed at the end.
// Untranslated device (no HostMapper): addresses are physical
// (iova == pa), nothing is mapped or unmapped.
#pragma once

#include <cstdint>

#include <systemc>

#include "traffic/dma_generator.h"
#include "traffic/host_driven.h"

namespace iommusim {

class RingGenerator : public HostDrivenInitiator {
public:
    SC_HAS_PROCESS(RingGenerator);
    // p.ring, p.dma, p.size, p.duration_ns, p.pasid*, p.idle are used.
    // granule: the translation granule in bytes (mapping unit). Throws
    // std::invalid_argument (message starts with the parameter's name).
    RingGenerator(const sc_core::sc_module_name& name, const GeneratorParams& p, RequesterId rid,
                  uint16_t segment, uint64_t iova_base, uint64_t window, uint64_t granule,
                  const sc_core::sc_event& start);

    uint64_t ring_bytes() const { return ring_bytes_; }
    uint64_t buffers() const { return nbufs_; }
    // Physical address of packet buffer b (after attach_host).
    uint64_t buffer_pa_of(uint64_t b) const { return buffer_pa_ + ring_bytes_ + b * slot_bytes(); }
    const GeneratorParams& params() const { return p_; }

private:
    void run();

    GeneratorParams p_;
    uint64_t iova_base_, window_;
    const sc_core::sc_event& start_;
    uint64_t ring_bytes_ = 0, nbufs_ = 0;
};

}  // namespace iommusim
