"""Exchange: a plan in the language GP and hospital systems speak (HL7 FHIR R4), and results back in.

Takes what one audience may see of a plan (builder.view) and its story; or FHIR Observations.
Gives a FHIR R4 Bundle built and validated with fhir.resources; or results added as one recorded change.
"""
