package com.cloudbees.groovy.cps

import java.lang.annotation.ElementType
import java.lang.annotation.Retention
import java.lang.annotation.RetentionPolicy
import java.lang.annotation.Target

/**
 * Stand-in for the workflow-cps annotation of the same name, so the library's src/ classes
 * compile outside Jenkins. In Jenkins it marks a method to run as plain Groovy, not CPS.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface NonCPS {
}
