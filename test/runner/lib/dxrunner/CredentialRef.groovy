package dxrunner

import hudson.AbortException

/** What credentials('id') returns inside an environment block. */
class CredentialRef {
    String id
}
