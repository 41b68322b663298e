package dxrunner

import hudson.AbortException

/** The delegate of `environment {}`: assignments set variables; credentials('id') binds one. */
class EnvironmentDsl extends GroovyObjectSupport {
    private final Build build
    private final Context ctx
    /** Where assignments go: the lane's global env (pipeline level) or the stage's overlay. */
    private final Map<String, String> target

    EnvironmentDsl(Build build, Context ctx, Map<String, String> target) {
        this.build = build
        this.ctx = ctx
        this.target = target
    }

    @Override
    void setProperty(String name, Object value) {
        if (value instanceof CredentialRef) {
            bindCredential(name, ((CredentialRef) value).id)
        } else {
            target[name] = value == null ? '' : value.toString()
        }
    }

    @Override
    Object getProperty(String name) {
        if (name != 'env' && ctx.env(name) != null) {
            return ctx.env(name)
        }
        throw new MissingPropertyException(name, EnvironmentDsl)
    }

    CredentialRef credentials(String id) {
        new CredentialRef(id: id)
    }

    /** As Jenkins: secret text -> NAME; username/password -> NAME=user:pass, NAME_USR, NAME_PSW; file -> path. */
    private void bindCredential(String name, String id) {
        String kind = build.credentials.kindOf(id)
        Map cred = build.credentials.get(id, kind)
        if (kind == 'string') {
            target[name] = cred.secret.toString()
            build.console.addSecret(cred.secret.toString())
        } else if (kind == 'usernamePassword') {
            target[name] = "${cred.username}:${cred.password}".toString()
            target[name + '_USR'] = cred.username.toString()
            target[name + '_PSW'] = cred.password.toString()
            build.console.addSecret(target[name])
            build.console.addSecret(cred.password.toString())
        } else {
            target[name] = build.steps.secretFile(id, cred).path
        }
    }
}
