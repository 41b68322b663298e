package testapi

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestBaseURLFindsTheTestAPIOnEitherPlatform(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, ""},
		{map[string]string{"DX_ENGINE_TEST_API": "http://h:1/x/", "DELPHIX_ENGINE": "http://e:2"}, "http://h:1/x"},
		{map[string]string{"DELPHIX_ENGINE": "http://e:2/"}, "http://e:2/dxsteps-test/v1"},
		{map[string]string{"DELPHIX_ENGINE": "http://e:2", "DELPHIX_PLATFORM": "engine"}, "http://e:2/dxsteps-test/v1"},
		// A step gives its tools the DCT API's URL: the test API is at the host's root.
		{map[string]string{"DELPHIX_ENGINE": "http://e:2/dct/v3", "DELPHIX_PLATFORM": "dct"}, "http://e:2/dxsteps-test/v1"},
		{map[string]string{"DELPHIX_ENGINE": "https://e/v3/", "DELPHIX_PLATFORM": "DCT"}, "https://e/dxsteps-test/v1"},
	} {
		got := BaseURL(func(k string) string { return c.env[k] })
		assert.Equal(t, c.want, got, "%v", c.env)
	}
}
