/**
 * Kinora's domain: videos, uploads, accounts and jobs, and the ports (interfaces) through which
 * the domain reaches engines. Nothing here depends on a framework or an adapter.
 */
package org.kinora.core;
