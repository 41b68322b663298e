package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"

	"github.com/dxsteps/dxsteps/delphix"
)

// APIVersionsEnv names a directory where the steps of one Jenkins build
// hand each other the API version each engine settled on. The library sets
// it to the build's folder (.dxsteps/<BUILD_NUMBER>/api-versions), so that
// only the first step of a build against an engine negotiates; a step
// outside Jenkins has no build to share it with and negotiates every time.
const APIVersionsEnv = "DXSTEPS_API_VERSIONS"

// learnedVersion is what one file of that directory holds: the engine's
// URL (without any user or password in it) and its version.
type learnedVersion struct {
	Engine     string `json:"engine"`
	APIVersion string `json:"apiVersion"`
}

// shownURL is engine as the file shows it: without a user or password.
func shownURL(engine string) string {
	u, err := url.Parse(engine)
	if err != nil {
		return ""
	}
	u.User = nil
	return u.String()
}

// apiVersionFile is the file of dir that holds what engine settled on.
func apiVersionFile(dir, engine string) string {
	sum := sha256.Sum256([]byte(shownURL(engine)))
	return filepath.Join(dir, "engine-"+hex.EncodeToString(sum[:8])+".json")
}

// learnedAPIVersion is the version an earlier step recorded for engine in
// dir, or zero when none did, or what is there is not for this engine or
// not a version dxsteps speaks. It is only a first try for the session:
// delphix.WithAPIVersionHint falls back to negotiating when it is refused.
func learnedAPIVersion(dir, engine string) delphix.APIVersion {
	raw, err := os.ReadFile(apiVersionFile(dir, engine))
	if err != nil {
		return delphix.APIVersion{}
	}
	var l learnedVersion
	if json.Unmarshal(raw, &l) != nil || l.Engine != shownURL(engine) {
		return delphix.APIVersion{}
	}
	v, err := delphix.ParseAPIVersion(l.APIVersion)
	if err != nil || v.Less(delphix.MinAPIVersion) || delphix.MaxAPIVersion.Less(v) {
		return delphix.APIVersion{}
	}
	return v
}

// recordAPIVersion writes the version engine settled on into dir, whole or
// not at all (a parallel step reads either the old file or the new one).
func recordAPIVersion(dir, engine string, v delphix.APIVersion) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	raw, _ := json.Marshal(learnedVersion{Engine: shownURL(engine), APIVersion: v.String()})
	tmp, err := os.CreateTemp(dir, ".engine-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(append(raw, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), apiVersionFile(dir, engine))
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
	}
	return err
}
