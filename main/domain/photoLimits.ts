// What a milestone's photos may be (SPEC §7 visits): checked by the photo service and,
// before anything is sent, by the form that picks them.

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
export const MAX_PHOTOS = 10;
