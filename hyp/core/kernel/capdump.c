/* SPDX-License-Identifier: MIT */
#include <cloison/abi/objects.h>
#include <cloison/capdump.h>
#include <cloison/cnode.h>
#include <cloison/domain.h>
#include <cloison/loader.h>
#include <cloison/std/print.h>
#include <cloison/vm.h>

static void print_object(const struct object *obj)
{
	const char *name = loader_object_name(obj);

	if (name)
		print("%s", name);
	else
		print("#%lu", obj->id);
}

void capdump_print(void)
{
	uint64_t caps = 0;

	print("CLOISON-CAPDUMP BEGIN policy=%s domains=%u\n", loader_policy_hash(),
	      vm_count());
	for (uint32_t i = 0; i < vm_count(); i++) {
		const struct vm *vm = vm_at(i);
		struct cnode *cs = domain_cspace(vm->domain);

		print("CLOISON-CAPDUMP DOMAIN name=%s state=%s slots=%u\n", vm->name,
		      cloison_domain_state_name(vm->domain->state), cs ? cs->nslots : 0);
		for (uint32_t s = 0; cs && s < cs->nslots; s++) {
			const struct cap *c = &cs->slots[s].cap;

			if (cap_is_null(c))
				continue;
			print("CLOISON-CAPDUMP CAP domain=%s slot=%u type=%s object=",
			      vm->name, s, cloison_type_name(cap_type(c)));
			print_object(cap_object(c));
			print(" rights=0x%x badge=0x%lx\n", cap_rights(c), cap_badge(c));
			caps++;
		}
	}
	print("CLOISON-CAPDUMP END caps=%lu\n", caps);
}
