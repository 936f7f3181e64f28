/*
 * ownership -- the default object's life.  The contract keeps a note in
 * its default object (the all-zero object ID, created with the contract
 * and owned by it).  GiveAway hands that object to another address; from
 * then on the host's write rule (a write needs the object's owner to be
 * the executing contract or the transaction's sender) refuses the
 * contract's own writes with permission_denied -- unless the new owner
 * is the one sending the transaction.  Reads keep working.
 */
#include <wvm/contract.h>

void Initialize(wvm_ctx *ctx) {
    wvm_address admin;
    if (wvm_field_get_address(ctx, wvm_default_object(), "admin", &admin))
        return wvm_error(ctx, "already initialized");
    wvm_field_set_address(ctx, wvm_default_object(), "admin", wvm_sender(ctx));
    wvm_field_set_str(ctx, wvm_default_object(), "note", "created");
}

void SetNote(wvm_ctx *ctx, const char *note) {
    /* after GiveAway, the host ends the call here with permission_denied */
    wvm_field_set_str(ctx, wvm_default_object(), "note", note);
}

const char *Note(wvm_ctx *ctx) {
    const char *s = "";
    wvm_field_get_str(ctx, wvm_default_object(), "note", &s);
    return s;
}

wvm_address Owner(wvm_ctx *ctx) {
    wvm_address owner = {{0}};
    if (!wvm_object_owner(ctx, wvm_default_object(), &owner))
        wvm_error(ctx, "the default object has no owner");
    return owner;
}

void GiveAway(wvm_ctx *ctx, wvm_address to) {
    wvm_address admin, sender = wvm_sender(ctx), owner;
    if (!wvm_field_get_address(ctx, wvm_default_object(), "admin", &admin) ||
        !wvm_address_eq(admin, sender))
        return wvm_error(ctx, "only the admin may give the contract's object away");
    if (!wvm_object_owner(ctx, wvm_default_object(), &owner) ||
        !wvm_address_eq(owner, wvm_self(ctx)))
        return wvm_error(ctx, "the default object is no longer this contract's");
    wvm_jw w;
    wvm_jw_init(&w, ctx);
    wvm_jw_object_begin(&w);
    wvm_jw_key(&w, "from");
    wvm_jw_address(&w, owner);
    wvm_jw_key(&w, "to");
    wvm_jw_address(&w, to);
    wvm_jw_object_end(&w);
    wvm_object_set_owner(ctx, wvm_default_object(), to);
    wvm_emit(ctx, "OwnershipTransferred", &w);
}
