# SPDX-License-Identifier: MIT
"""The Linux guest's device tree: the smallest that boots Linux 6.1 to
userspace (PLATFORM-NOTES "Linux guests"): memory, one Cortex-A57, PSCI
1.0 over HVC, the architected timer, a GICv3 (one redistributor, no ITS),
an SBSA UART, /chosen. Bindings: Linux
Documentation/devicetree/bindings/{arm/psci.yaml, timer/arm,arch_timer.yaml,
interrupt-controller/arm,gic-v3.yaml, serial/arm,sbsa-uart.yaml}."""
from . import layout
from .dtb import Node, build, string, u32, u64

GIC_PHANDLE = 1
# GIC interrupt specifier: <type number flags>; type 0 = SPI, 1 = PPI
# (number = INTID - 16 for PPIs, - 32 for SPIs); flags 4 = level high.
SPI, PPI, LEVEL_HIGH = 0, 1, 4


# The devices the tree describes, by node: what the guest's VMM must emulate
# (cloison.guest.pack checks the VMM's regions cover each).
DEVICES = (
    ("GIC distributor", layout.GICD, layout.GICD_SIZE),
    ("GIC redistributor", layout.GICR, layout.GICR_SIZE),
    ("UART", layout.UART, layout.UART_SIZE),
)


def reg(base, size):
    return u64(base, size)


def guest_tree(memory, bootargs, initrd_start, initrd_end):
    root = Node("")
    root.prop("#address-cells", u32(2)).prop("#size-cells", u32(2))
    root.prop("compatible", string("linux,dummy-virt"))
    root.prop("model", string("cloison-guest"))
    root.prop("interrupt-parent", u32(GIC_PHANDLE))

    chosen = root.child(Node("chosen"))
    chosen.prop("bootargs", string(bootargs))
    chosen.prop("stdout-path", string("/uart@%x" % layout.UART))
    chosen.prop("linux,initrd-start", u64(initrd_start))
    chosen.prop("linux,initrd-end", u64(initrd_end))

    mem = root.child(Node("memory@%x" % layout.RAM))
    mem.prop("device_type", string("memory")).prop("reg", reg(layout.RAM, memory))

    cpus = root.child(Node("cpus"))
    cpus.prop("#address-cells", u32(1)).prop("#size-cells", u32(0))
    cpu = cpus.child(Node("cpu@0"))
    cpu.prop("device_type", string("cpu")).prop("compatible", string("arm,cortex-a57"))
    cpu.prop("reg", u32(0)).prop("enable-method", string("psci"))

    psci = root.child(Node("psci"))
    psci.prop("compatible", string("arm,psci-1.0", "arm,psci-0.2"))
    psci.prop("method", string("hvc"))

    timer = root.child(Node("timer"))
    timer.prop("compatible", string("arm,armv8-timer"))
    # Secure phys, non-secure phys, virtual, hypervisor: PPIs 13, 14, 11, 10.
    timer.prop("interrupts", u32(PPI, 13, LEVEL_HIGH, PPI, 14, LEVEL_HIGH,
                                 PPI, 11, LEVEL_HIGH, PPI, 10, LEVEL_HIGH))
    timer.prop("always-on")

    gic = root.child(Node("interrupt-controller@%x" % layout.GICD))
    gic.prop("compatible", string("arm,gic-v3"))
    gic.prop("#interrupt-cells", u32(3)).prop("#address-cells", u32(0))
    gic.prop("interrupt-controller")
    gic.prop("#redistributor-regions", u32(1))
    gic.prop("reg", reg(layout.GICD, layout.GICD_SIZE) + reg(layout.GICR, layout.GICR_SIZE))
    gic.prop("phandle", u32(GIC_PHANDLE))

    uart = root.child(Node("uart@%x" % layout.UART))
    uart.prop("compatible", string("arm,sbsa-uart"))
    uart.prop("reg", reg(layout.UART, layout.UART_SIZE))
    uart.prop("interrupts", u32(SPI, layout.UART_SPI, LEVEL_HIGH))
    uart.prop("current-speed", u32(115200))
    return build(root)
