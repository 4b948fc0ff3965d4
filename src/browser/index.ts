// Browser services (DRM detection, token client, FairPlay): see issue #4.
export {};
