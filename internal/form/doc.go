// Package form writes and reads Chargebee's application/x-www-form-urlencoded
// bodies.
//
// The generated client's form path cannot be used for Chargebee (it ignores
// the spec's encoding block, prints maps with fmt and sends empty nested
// fields), so this package encodes the generated request structs itself:
//
//   - nested structs become bracket keys at any depth: card[iin]=411111;
//   - maps and interface values (free-form objects such as
//     additional_information) become ONE value holding compact JSON;
//   - slices put the index last, as Chargebee does: items[id][0]=a;
//   - a nil pointer, map or slice is left out; any other value, zero
//     included, is sent (amount=0, replace_primary_payment_source=false);
//   - keys come out sorted, escaped as url.QueryEscape escapes them, so a body
//     equals url.Values.Encode of the same pairs.
//
// Field names come from the json tags the generator writes from the spec, so
// no wire name is written twice by hand.
package form
