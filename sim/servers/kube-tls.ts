// The simulated API server's TLS identity: a self-signed certificate for 127.0.0.1 and localhost,
// fixed so that a kubeconfig written for it stays valid between runs. kubectl sends a bearer token
// only over TLS (client-go reads a kubeconfig's credentials only for an https server), so the server
// serves HTTPS whenever people connect to it. It guards nothing: the server listens on loopback only
// and holds a simulated cluster; the key is public by design.

/** PEM, also the kubeconfig's certificate-authority-data (base64 of this text). */
export const SIM_API_CERT = `
-----BEGIN CERTIFICATE-----
MIIB0TCCAXegAwIBAgIUOXNapNacs4t0NN704U2uWRIFR+wwCgYIKoZIzj0EAwIw
LzEtMCsGA1UEAwwkZ3JhY2VmdWwtc2NhbGVyIHNpbXVsYXRlZCBBUEkgc2VydmVy
MCAXDTI2MTIwMzE1MDQ1N1oYDzIxMjYxMTA5MTUwNDU3WjAvMS0wKwYDVQQDDCRn
cmFjZWZ1bC1zY2FsZXIgc2ltdWxhdGVkIEFQSSBzZXJ2ZXIwWTATBgcqhkjOPQIB
BggqhkjOPQMBBwNCAATtwdoAmSPHu1lFrneMh8r2Onlcthi+A291CE/cFYR7nkVQ
smodruqn+XNgC5vROkq0OaFjKUMF+juUnxxsJuKuo28wbTAdBgNVHQ4EFgQU5K4q
UDCwOoC+2B7PZntRRkgnA3AwHwYDVR0jBBgwFoAU5K4qUDCwOoC+2B7PZntRRkgn
A3AwDwYDVR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3Qw
CgYIKoZIzj0EAwIDSAAwRQIgWuQEumIg3vWN/kET/QwK3JwChqM+DLLdUEe+2aix
KcUCIQCVfb8yh49B4ogp7lwxlwvFeofQwZCbaxmz6L10WYnzdA==
-----END CERTIFICATE-----
`.trimStart();

export const SIM_API_KEY = `
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgexhrilTnEGGOdAgG
GROIM6Kfv6faXPN8yV1uyu6jRQKhRANCAATtwdoAmSPHu1lFrneMh8r2Onlcthi+
A291CE/cFYR7nkVQsmodruqn+XNgC5vROkq0OaFjKUMF+juUnxxsJuKu
-----END PRIVATE KEY-----
`.trimStart();
